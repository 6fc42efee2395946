"""The registration app's pages, one module per concern.

- participants: the registration form, the participant's signed-link pages (confirm, change,
  cancel, renew, confirmation, calendar), the link request, privacy notice and public list.
- delegations: the delegation form and the focal point's signed-link pages.
- certificates: the participant's certificate of attendance, through their signed link.
"""
