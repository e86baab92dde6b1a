"""Share links: a revocable, read-only page of one company for people without an account.

links.py creates, lists and revokes them (admins and the company's coaches); page.py
answers `GET /shared/{token}` for anyone holding a valid token.
"""
