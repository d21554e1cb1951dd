"""Calculator views: each usable on its own (``view.widget``) and embeddable in a case stage, preloaded with the
patient's data. They collect inputs, call :mod:`hnscc_edu.clinical`, and display; they decide nothing."""

from .cps import CpsView
from .cumulative_dose import Course, CumulativeDoseView
from .miri import MiriView
from .recist import RecistView
from .sequencing import SequencingView

__all__ = ["Course", "CpsView", "CumulativeDoseView", "MiriView", "RecistView", "SequencingView"]
