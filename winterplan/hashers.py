"""Password hashing: Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's own Argon2 hasher uses 100 MiB and 8 lanes (≈0.3 s of CPU and 100 MB a sign-in on this
2-core machine) and its default PBKDF2 a million SHA-256 rounds (≈0.55 s): at fifty sign-ins
a minute either keeps a worker busy hashing. This one takes ≈45 ms and 19 MiB: one of the
base minimum configurations of Argon2id, OWASP's first choice, in its Password Storage Cheat
Sheet (m=19456, t=2, p=1). Existing PBKDF2 (or Django-Argon2) hashes still verify and are
rehashed with these parameters at the user's next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
