from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal import selectors


@login_required
def home(request):
    return render(request, "portal/home.html", {"services": selectors.services_for(request.user)})
