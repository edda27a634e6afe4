"""The portal's URLs and, under benchmarks/stack_ceiling.py's settings, two references beside them:

- /tetap/ a fixed response: what every page of the portal costs before its view runs;
- /kosong/ the portal's chrome (base.html) with nothing in it, for a signed-in user: what every signed-in
  page costs (the session, the user, the navigation) before it reads anything of its own.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

urlpatterns = [
    path("tetap/", lambda request: HttpResponse("ok")),
    path("kosong/", login_required(lambda request: render(request, "base.html"))),
    path("", include("layanan.urls")),
]
