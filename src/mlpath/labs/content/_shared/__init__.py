"""Code shared by the checks of several labs (lab content: checked by the labs' self-tests)."""
