"""ipywidgets that wire controls to models and figures; quizzes. No science lives here."""
