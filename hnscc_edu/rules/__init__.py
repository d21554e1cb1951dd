"""The course's rules as pure functions: how an answer is graded (``grading``), how a case moves from stage to stage
(``case_flow``), how the path to credit moves (``learner_path``), how a post-test is drawn (``assessment``), what a
certificate states (``credit``) and how it is signed (``signing``), and how a live poll behaves (``live``).

Nothing here reads or writes the store, the network or a widget: the store and the sessions build on these rules,
never the other way round (the layers contract in pyproject.toml).
"""
