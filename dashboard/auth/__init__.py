"""Who may use the dashboard and what they may do.

guard (the check in front of every route), roles, sessions (cookies and CSRF), throttle (failed
sign-ins), signin (the sign-in pages), users and exempt (what managers change from the command
line), store (their writes to the database).
"""
