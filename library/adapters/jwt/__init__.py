"""Bearer tokens: JWT verification with PyJWT (HS256 secrets, RS256/ES256 public keys, JWKS)."""

from library.adapters.jwt.verifier import JwtVerifier

__all__ = ["JwtVerifier"]
