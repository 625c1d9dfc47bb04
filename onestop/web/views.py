"""Log in, log out and the home page of each role (工作台). Reads come from `onestop.web.queries`."""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from onestop.errors import TooManyRequests
from onestop.throttle import RETRY_AFTER, limited
from onestop.web.queries import home_for, public_summary
from onestop.web.roles import WORKS_ON
from onestop.web.waiting import waiting_for


@method_decorator(limited("login"), name="dispatch")  # password guessing: attempts per address
class LoginView(auth_views.LoginView):
    """The login form (登录); an account already logged in goes straight to its home."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "summary": public_summary()}


class LogoutView(auth_views.LogoutView):
    """Log out (退出登录): POST only, then back to the login page."""


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A page or endpoint over its rate limit (onestop.throttle): 429, with when to try again."""
    error = TooManyRequests()
    response = render(request, "web/too_many_requests.html", {"error": error}, status=error.status)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the logged-in account's role: what waits for it, and what it works on."""
    account = request.user
    data = home_for(account)
    context = {
        "home": data,
        "home_template": f"web/home/{data['section']}.html",
        "works_on": WORKS_ON.get(account.role, ""),
        "waiting": waiting_for(account),
    }
    return render(request, "web/home.html", context)
