"""ECS by Doing: an interactive tutorial and exam-prep textbook about Amazon ECS.

Sub-packages:

* :mod:`ecsbook.scheduler` -- a pure, deterministic model of the ECS scheduler.
* :mod:`ecsbook.widgets` -- ipywidgets views (with static SVG) over the model.
* :mod:`ecsbook.labs` -- the moto sandbox, lab checks and moto->model adapters.
* :mod:`ecsbook.quiz` -- question banks, grading and quiz front ends.
"""

__version__ = "0.1.0"
