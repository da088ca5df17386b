// Streamlit writes <html lang="en"> whatever the app's language (streamlit/streamlit#15726):
// set it to the interface language, so screen readers pronounce Korean as Korean and the
// browser offers no translation of a page that is already in the reader's language.
export default function ({ data }) {
  if (data && data.lang) document.documentElement.lang = data.lang;
}
