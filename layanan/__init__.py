"""The project: settings, the root addresses and the WSGI entry point. The portal's shared mechanisms are the
`portal` app; each service is an app of its own that brings its pages under its prefix (AppConfig.url_prefix)."""
