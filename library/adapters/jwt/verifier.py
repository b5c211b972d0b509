"""`JwtVerifier`: the `TokenVerifier` port over PyJWT."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import httpx
import jwt
from jwt.exceptions import InvalidSignatureError, PyJWTError
from jwt.types import Options

from library.adapters.jwt.claims import principal_of
from library.adapters.jwt.jwks import ClientFactory, JwksKeys
from library.adapters.jwt.keys import (
    PUBLIC_KEY_ALGORITHMS,
    Algorithm,
    VerificationKey,
    pem_key,
    secret_keys,
)
from library.adapters.jwt.refusals import BAD_ALGORITHM, BAD_SIGNATURE, invalid, malformed, refusal
from library.application.access import Principal


class JwtVerifier:
    """Verify bearer JWTs with one kind of key: HS256 secrets, a PEM public key, or a JWKS URL.

    The accepted algorithm follows from the key, never from the token: the token's `alg` must
    be the key's, and PyJWT is told to accept that one only. `exp` and `sub` are required,
    `iss` and `aud` too when an issuer or audience is configured (a token that names an
    audience is refused when none is, as RFC 7519 §4.1.3 asks); `nbf` and `iat` are honoured;
    the leeway applies to all times. Nothing about tokens is cached.

    Args:
        secrets: HS256 secrets, each at least 32 bytes; a token signed with any verifies
            (rotation).
        public_key_pem: an RSA (RS256) or EC P-256 (ES256) public key or certificate, PEM.
        jwks_url: where the issuer publishes its keys (RS256 and ES256 ones are used).
        issuer: the `iss` tokens must carry.
        audience: the `aud` tokens must carry (or list).
        leeway: seconds of clock difference allowed on `exp`, `nbf` and `iat`.
        timeout: seconds a JWKS fetch may take in all.
        refresh_interval: the least time between fetches of the JWKS prompted by tokens
            with a key id it lacks.
        retry_interval: the least time between fetches after one failed.
        max_age: the age after which the JWKS is fetched again in the background.
        client_factory: makes the httpx client for the JWKS (tests); closed by `close`.
        monotonic: the clock of those intervals (tests).

    Raises:
        ValueError: not exactly one kind of key is given, or the key cannot be used.
    """

    def __init__(
        self,
        *,
        secrets: Sequence[str] = (),
        public_key_pem: str | None = None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        audience: str | None = None,
        leeway: float = 30.0,
        timeout: float = 2.0,
        refresh_interval: float = 60.0,
        retry_interval: float = 2.0,
        max_age: float = 300.0,
        client_factory: ClientFactory | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        kinds = [bool(secrets), public_key_pem is not None, jwks_url is not None]
        if kinds.count(True) != 1:
            raise ValueError(
                "give JWT verification exactly one kind of key: secrets, a public key PEM"
                " or a JWKS URL"
            )
        if not leeway >= 0:
            raise ValueError(f"the JWT leeway must be at least 0 seconds, got {leeway}")
        for name, value in (
            ("timeout", timeout),
            ("refresh interval", refresh_interval),
            ("retry interval", retry_interval),
            ("max age", max_age),
        ):
            if not value > 0:
                raise ValueError(f"the JWKS {name} must be positive, got {value}")
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._options: Options = {
            "require": ["exp", "sub"]
            + (["iss"] if issuer is not None else [])
            + (["aud"] if audience is not None else []),
            "enforce_minimum_key_length": True,
        }
        self._keys: tuple[VerificationKey, ...] = ()
        self._jwks: JwksKeys | None = None
        self._algorithms: frozenset[Algorithm]
        if jwks_url is not None:
            _check_url(jwks_url)
            self._jwks = JwksKeys(
                jwks_url,
                timeout=timeout,
                refresh_interval=refresh_interval,
                retry_interval=retry_interval,
                max_age=max_age,
                client_factory=client_factory,
                monotonic=monotonic,
            )
            self._algorithms = PUBLIC_KEY_ALGORITHMS
        else:
            if public_key_pem is not None:
                self._keys = (pem_key(public_key_pem),)
            else:
                self._keys = secret_keys(secrets)
            self._algorithms = frozenset(key.algorithm for key in self._keys)

    async def start(self) -> None:
        """Fetch the JWKS ahead of the first token (a failure is logged, not raised)."""
        if self._jwks is not None:
            await self._jwks.refresh()

    async def close(self) -> None:
        """Close the JWKS client, if there is one."""
        if self._jwks is not None:
            await self._jwks.close()

    async def stop(self) -> None:
        """`close`, under the name the service's life cycle calls."""
        await self.close()

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token.

        Raises:
            Unauthenticated: the token is malformed ("malformed"), expired ("expired"), or
                otherwise not acceptable ("invalid").
            VerifierUnavailable: the JWKS cannot be fetched and no cached key fits.
        """
        header = _header(token)
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self._algorithms:
            raise invalid(BAD_ALGORITHM)
        kid = header.get("kid")  # PyJWT has checked that a kid is a string
        keys = self._keys
        if self._jwks is not None:
            keys = (await self._jwks.key_for(kid if isinstance(kid, str) else None),)
        fitting = [key for key in keys if key.algorithm == algorithm]
        if not fitting:  # a key set's key of the other kind: RS256 named, ES256 signed
            raise invalid(BAD_ALGORITHM)
        return principal_of(self._claims(token, fitting))

    def _claims(self, token: str, keys: Sequence[VerificationKey]) -> Mapping[str, object]:
        for key in keys:
            try:
                claims: Mapping[str, object] = jwt.decode(
                    token,
                    key.material,
                    algorithms=[key.algorithm],
                    options=self._options,
                    audience=self._audience,
                    issuer=self._issuer,
                    leeway=self._leeway,
                )
            except InvalidSignatureError:
                continue  # perhaps signed with the next secret
            except PyJWTError as error:
                # The signature held (PyJWT checks it first), so this is the token's fault.
                raise refusal(error) from error
            return claims
        raise invalid(BAD_SIGNATURE)


def _header(token: str) -> Mapping[str, object]:
    if not token.isascii():  # a JWT is base64url and dots; this also spares UTF-8 errors
        raise malformed()
    try:
        header: Mapping[str, object] = jwt.get_unverified_header(token)
    except PyJWTError as error:
        raise malformed() from error
    return header


def _check_url(url: str) -> None:
    try:
        scheme = httpx.URL(url).scheme
    except httpx.InvalidURL as error:
        raise ValueError(f"the JWKS URL cannot be used: {error}") from error
    if scheme not in ("https", "http"):
        raise ValueError(f"the JWKS URL must be http(s), got {url!r}")
