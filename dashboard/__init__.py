"""The web app: pages, their cache of computed tables, sentences, charts and widgets, sign-in
and roles, and the exports and board pack."""
