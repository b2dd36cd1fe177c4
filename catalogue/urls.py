"""The public catalogue's URLs (a contract: ../shared/spec/interfaces.md, "Public catalogue").

`pages` go under the language prefix (`/uk/...`, `/en/...`, config.urls); `photos` do not: an image is the
same in every language.
"""

from django.urls import path

from . import views

pages = [
    path("components/", views.component_list, name="components"),
    path("components/export.csv", views.component_export, name="export"),
    path("components/<int:pk>/", views.component_detail, name="component"),
    path("weapons/<str:designation>/", views.weapon_detail, name="weapon"),
    path("manufacturers/<int:pk>/", views.manufacturer_detail, name="manufacturer"),
]

photos = [
    path("photos/<int:pk>/full.jpg", views.photo, {"size": "full"}, name="full"),
    path("photos/<int:pk>/thumb.jpg", views.photo, {"size": "thumb"}, name="thumb"),
]
