"""The web application: login, navigation by role, record pages, dashboard, map and reports."""
