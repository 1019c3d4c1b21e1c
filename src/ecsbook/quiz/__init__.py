"""Quizzes: bank loading and validation, grading, parametric questions, front ends."""

from .bank import DOMAINS, Question, load_banks, questions, validate_banks
from .grade import grade
from .html import chapter_quiz, mock_exam, quiz_html, review_page

__all__ = ["DOMAINS", "Question", "chapter_quiz", "grade", "load_banks", "mock_exam", "questions", "quiz_html", "review_page",
           "validate_banks"]
