# Placeholder until the registration pages land.
app_name = "registration"
urlpatterns = []
