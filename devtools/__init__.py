"""Tools for developing the site, apart from the product code they serve.

`localdb` runs the private PostgreSQL under var/; `demo` generates demo and benchmark events.
Nothing in the apps imports this package, except the settings' use of `localdb` when no
DATABASE_URL is given.
"""
