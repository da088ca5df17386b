"""One entry of the translation table, written as ``pair(en, ko)`` by the text modules."""


def pair(en: str, ko: str) -> dict[str, str]:
    """``{"en": en, "ko": ko}``."""
    return {"en": en, "ko": ko}
