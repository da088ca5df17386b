"""Class mode in the app: the join form, the teacher's login, the cookie, the pages' parts."""
