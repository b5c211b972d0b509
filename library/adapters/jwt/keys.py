"""Verification keys and the one algorithm each is used with.

The algorithm follows from the key alone (RFC 8725 §3.1): a shared secret is HS256, an RSA
public key RS256, an EC P-256 public key ES256. A token's header never chooses it, so
`alg: none` and HS/RS confusion cannot arise.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Literal

from attrs import frozen
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import HMACAlgorithm
from jwt.exceptions import InvalidKeyError

Algorithm = Literal["HS256", "RS256", "ES256"]
PUBLIC_KEY_ALGORITHMS: frozenset[Algorithm] = frozenset({"RS256", "ES256"})

MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key at least as long as the hash
MIN_RSA_BITS = 2048  # RFC 7518 §3.3
_P256_COORDINATE_BYTES = 32

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


@frozen
class VerificationKey:
    """A key, the algorithm it verifies, and its id in a key set (None: unnamed)."""

    algorithm: Algorithm
    material: bytes | PublicKey
    kid: str | None = None


def secret_keys(secrets: Sequence[str]) -> tuple[VerificationKey, ...]:
    """HS256 keys for shared secrets, in the order given.

    Raises:
        ValueError: a secret is shorter than 32 bytes or looks like a public key.
    """
    if isinstance(secrets, str):
        raise ValueError("JWT secrets must be a sequence of strings, not one string")
    keys = []
    for position, secret in enumerate(secrets, start=1):
        material = secret.encode("utf-8")
        if len(material) < MIN_SECRET_BYTES:
            raise ValueError(
                f"JWT secret {position} is {len(material)} bytes; HS256 needs at least"
                f" {MIN_SECRET_BYTES} (RFC 7518 §3.2)"
            )
        try:
            HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(material)
        except InvalidKeyError as error:
            raise ValueError(
                f"JWT secret {position} looks like a public key or certificate; configure"
                " public keys as such, not as an HMAC secret"
            ) from error
        keys.append(VerificationKey("HS256", material))
    return tuple(keys)


def pem_key(pem: str) -> VerificationKey:
    """The key of a PEM public key (or certificate): RSA for RS256, EC P-256 for ES256.

    Raises:
        ValueError: the text is not a PEM public key or certificate, holds a private key,
            or holds a key of another kind (or an RSA key under 2048 bits).
    """
    if "PRIVATE KEY-----" in pem:
        raise ValueError("the JWT public key PEM holds a private key; configure the public key")
    data = pem.encode("utf-8")
    public: object
    try:
        if "-----BEGIN CERTIFICATE-----" in pem:
            public = x509.load_pem_x509_certificate(data).public_key()
        else:
            public = load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise ValueError(f"the JWT public key PEM cannot be read: {error}") from error
    return VerificationKey(*_typed(public, "the JWT public key PEM"))


def _typed(public: object, what: str) -> tuple[Algorithm, PublicKey]:
    if isinstance(public, rsa.RSAPublicKey):
        if public.key_size < MIN_RSA_BITS:
            raise ValueError(
                f"{what} holds a {public.key_size}-bit RSA key; RS256 needs {MIN_RSA_BITS}"
            )
        return "RS256", public
    if isinstance(public, ec.EllipticCurvePublicKey):
        if not isinstance(public.curve, ec.SECP256R1):
            raise ValueError(f"{what} holds an EC key on {public.curve.name}; ES256 needs P-256")
        return "ES256", public
    raise ValueError(f"{what} holds a key that is neither RSA (RS256) nor EC P-256 (ES256)")


def jwk_key(jwk: Mapping[str, object]) -> VerificationKey:
    """The key of one JWK (RFC 7517) of a key set.

    Raises:
        ValueError: the JWK is not a usable RS256/ES256 signature key (another kind, an `alg`
            that disagrees with its kind, meant for encryption, private, or ill-formed).
    """
    kid = jwk.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise ValueError("its kid is not a string")
    use = jwk.get("use")
    if use is not None and use != "sig":
        raise ValueError(f"it is for {use!r}, not signatures")
    ops = jwk.get("key_ops")
    if ops is not None and (not isinstance(ops, list) or "verify" not in ops):
        raise ValueError("its key_ops do not include verify")
    if "d" in jwk:  # a private key has no business in a published set
        raise ValueError("it is a private key")
    algorithm, public = _typed(_jwk_public_key(jwk), "it")
    declared = jwk.get("alg")
    if declared is not None and declared != algorithm:
        raise ValueError(f"its alg {declared!r} is not {algorithm}, what its kind allows")
    return VerificationKey(algorithm, public, kid)


def _jwk_public_key(jwk: Mapping[str, object]) -> object:
    kty = jwk.get("kty")
    if kty == "RSA":
        modulus, exponent = _uint(jwk, "n"), _uint(jwk, "e")
        try:
            return rsa.RSAPublicNumbers(exponent, modulus).public_key()
        except ValueError as error:
            raise ValueError(f"it is not a valid RSA key: {error}") from error
    if kty == "EC":
        if jwk.get("crv") != "P-256":
            raise ValueError(f"its curve {jwk.get('crv')!r} is not P-256")
        x, y = _coordinate(jwk, "x"), _coordinate(jwk, "y")
        try:
            return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        except ValueError as error:
            raise ValueError(f"it is not a point on P-256: {error}") from error
    raise ValueError(f"its kty {kty!r} is neither RSA nor EC")


def _octets(jwk: Mapping[str, object], name: str) -> bytes:
    value = jwk.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"its {name} is missing")
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"its {name} is not base64url") from error


def _uint(jwk: Mapping[str, object], name: str) -> int:
    return int.from_bytes(_octets(jwk, name), "big")


def _coordinate(jwk: Mapping[str, object], name: str) -> int:
    octets = _octets(jwk, name)
    if len(octets) != _P256_COORDINATE_BYTES:
        raise ValueError(f"its {name} is not {_P256_COORDINATE_BYTES} bytes long")
    return int.from_bytes(octets, "big")
