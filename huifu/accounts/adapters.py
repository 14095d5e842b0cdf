from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up creates public participants only; member, partner, regulator and staff
    accounts are created by the exchange or by an organisation's admin."""
