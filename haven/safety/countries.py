"""Countries a member can pick so Haven shows the crisis lines that reach them."""

from haven.core.places import country_name

COUNTRIES = {
    "AR": "Argentina", "AU": "Australia", "AT": "Austria", "BE": "Belgium", "BR": "Brazil",
    "CA": "Canada", "CL": "Chile", "CN": "China", "CO": "Colombia", "CZ": "Czechia",
    "DK": "Denmark", "EG": "Egypt", "FI": "Finland", "FR": "France", "DE": "Germany",
    "GH": "Ghana", "GR": "Greece", "HK": "Hong Kong", "HU": "Hungary", "IN": "India",
    "ID": "Indonesia", "IE": "Ireland", "IL": "Israel", "IT": "Italy", "JP": "Japan",
    "KE": "Kenya", "KR": "South Korea", "MY": "Malaysia", "MX": "Mexico", "NL": "Netherlands",
    "NZ": "New Zealand", "NG": "Nigeria", "NO": "Norway", "PK": "Pakistan", "PE": "Peru",
    "PH": "Philippines", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SA": "Saudi Arabia",
    "SG": "Singapore", "ZA": "South Africa", "ES": "Spain", "SE": "Sweden", "CH": "Switzerland",
    "TW": "Taiwan", "TH": "Thailand", "TR": "Türkiye", "UA": "Ukraine",
    "AE": "United Arab Emirates", "GB": "United Kingdom", "US": "United States",
    "VN": "Vietnam",
}  # fmt: skip


def country_choices() -> list[tuple[str, str]]:
    """(code, name) by name, in the reader's language: "Reino Unido" in Spanish."""
    return sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda item: item[1])
