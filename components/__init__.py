"""Streamlit widgets that the pages compose; the domain logic lives in builder/."""
