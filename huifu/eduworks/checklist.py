"""The compliance checklist of educational works as first seeded (the same as migration 0002 holds; tests that flush the database put them back from here)."""

ITEMS = [
    ("accurate", "内容准确，无误导性陈述", "Content is accurate and not misleading", 10),
    ("risk_disclosure", "含必要的风险提示", "Carries the necessary risk disclosure", 20),
    (
        "no_promises",
        "无收益承诺、无荐股荐期或诱导交易内容",
        "No promise of returns, no trading recommendation or inducement",
        30,
    ),
    (
        "rights_cleared",
        "著作权及第三方素材（图片、音乐、影像）授权已落实",
        "Copyright and third-party material (images, music, footage) are cleared",
        40,
    ),
    ("suitability", "符合投资者适当性要求，面向受众表述恰当", "Suitable for its audience (investor suitability)", 50),
    ("no_personal_data", "不含未经同意的个人信息", "No personal data without consent", 60),
]
