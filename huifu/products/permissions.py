"""Who may do what with products.

Every logged-in user may read the product list and a product (public facts; fees shown are the
exchange's published schedule). Exchange staff edit a product's fees and attributes.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_logged_in, is_staff_user

rules.add_perm("products.view_product_list", is_logged_in)
rules.add_perm("products.change_product", is_staff_user)
