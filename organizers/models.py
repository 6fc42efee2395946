"""No model: the roles are groups of django.contrib.auth (organizers.roles). The module exists
because Django sends post_migrate only to apps with a models module, and the roles follow their
definition after every migrate (organizers.apps)."""
