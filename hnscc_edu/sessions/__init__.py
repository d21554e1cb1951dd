"""A learner's runs kept in the store: a case (``case_session``), a bank played on its own (``bank_session``), the
path to credit (``credit_session``) and the cohort a course director rehearses with (``simulation``).

Each session applies the pure rules of ``hnscc_edu.rules`` to what the store holds, and writes every step to the store
when it happens. The layers run one way: rules -> store -> sessions -> service -> ui and notebooks
(``[tool.importlinter]`` in pyproject.toml).
"""
