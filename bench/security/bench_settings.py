"""Settings for the login-burst benchmark: the real password hasher (not the tests' MD5), no debug,
and login throttling switchable with LOGIN_THROTTLING=0/1 to measure with and without it."""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_bool

DEBUG = False
AXES_ENABLED = env_bool("LOGIN_THROTTLING", True)
