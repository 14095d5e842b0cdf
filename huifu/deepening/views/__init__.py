"""Deep-cultivation pages: plans (plans.py), enterprise profiles (profiles.py), exports (exports.py)."""
