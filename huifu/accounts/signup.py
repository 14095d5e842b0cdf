"""Self sign-up that does not tell whether an address is already registered.

A new address and a registered one get the same answer: "we sent you an e-mail, follow the
link". The new address receives the confirmation link and can log in once it is confirmed;
the owner of a registered address receives allauth's "someone tried to sign up with your
address" mail instead, and no second account is created. Password reset already answers alike
for known and unknown addresses (allauth's ``ACCOUNT_PREVENT_ENUMERATION``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.login import perform_login
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import Login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest


class SignupForm(AllauthSignupForm):
    def validate_unique_email(self, value: str) -> str:
        email = get_adapter().validate_unique_email(value)
        # Never an error here: an existing account is handled in try_save, out of sight.
        self.account_already_exists = bool(filter_users_by_email(email))
        return email

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """(user, response). Both branches end on the "confirmation e-mail sent" page, without
        logging anyone in: the confirmation is what proves the address belongs to the person."""
        mandatory = EmailVerificationMethod.MANDATORY
        if self.account_already_exists:
            # Hash the password like a new account would, so the answer takes as long.
            make_password(self.cleaned_data.get("password1") or "")
            email = self.cleaned_data["email"]
            return None, perform_login(
                request, Login(user=None, email=email, signup=True, email_verification=mandatory)
            )
        user = self.save(request)
        return user, complete_signup(request, user=user, email_verification=mandatory)
