"""Short names for the matrix: the Role values, "public" (no login), "authenticated" (any logged-in user)."""
H, C, MR, ME = "head", "curator", "mentor", "mentee"
CO, RG, AD, EX = "coordinator", "regional", "admin", "expert"
PUBLIC, AUTH = "public", "authenticated"
