"""JwtVerifier: keys and algorithms, claims, scopes, refusals, and JWKS over real HTTP."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from library.adapters.jwt import JwtVerifier
from library.application.access import Unauthenticated, VerifierUnavailable
from tests.unit.adapters.jwks_server import JwksServer, jwk

SECRET_A = "a" * 32
SECRET_B = "correct horse battery staple, twice over"
ISSUER = "https://issuer.example"
AUDIENCE = "library"


# --- keys and tokens -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def rsa_key_2() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def claims(**overrides: object) -> dict[str, Any]:
    base: dict[str, Any] = {"sub": "alice", "exp": int(time.time()) + 300}
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def sign(key: object, algorithm: str, kid: str | None = None, **overrides: object) -> str:
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(claims(**overrides), key, algorithm=algorithm, headers=headers)  # type: ignore[arg-type]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(header: object, payload: object, signature: bytes = b"") -> str:
    """A token put together by hand, as an attacker would."""
    parts = [b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode())]
    return ".".join([*parts, b64url(signature)])


def hs256_by_hand(header: dict[str, object], payload: object, secret: bytes) -> str:
    unsigned = handmade(header, payload).rsplit(".", 1)[0]
    signature = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{b64url(signature)}"


async def refused(verifier: JwtVerifier, token: str) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as caught:
        await verifier.verify(token)
    return caught.value


@pytest.fixture
def hs() -> JwtVerifier:
    return JwtVerifier(secrets=[SECRET_A, SECRET_B])


# --- HS256 secrets and rotation ------------------------------------------------------------


@pytest.mark.parametrize("secret", [SECRET_A, SECRET_B])
async def test_a_token_signed_with_either_rotated_secret_verifies(
    hs: JwtVerifier, secret: str
) -> None:
    principal = await hs.verify(sign(secret, "HS256", scope="catalogue:read"))

    assert principal.id == "token: alice"
    assert principal.kind == "token"
    assert principal.name == "alice"
    assert principal.scopes == {"catalogue:read"}


async def test_the_principal_names_its_issuer() -> None:
    verifier = JwtVerifier(secrets=[SECRET_A], issuer=ISSUER)

    principal = await verifier.verify(sign(SECRET_A, "HS256", iss=ISSUER))

    assert principal.id == f"token:{ISSUER} alice"


async def test_a_token_signed_with_another_secret_is_refused(hs: JwtVerifier) -> None:
    error = await refused(hs, sign("z" * 32, "HS256"))

    assert (error.reason, error.message) == ("invalid", "the token's signature does not verify")


async def test_a_token_whose_claims_were_changed_after_signing_is_refused(
    hs: JwtVerifier,
) -> None:
    header, _, signature = sign(SECRET_A, "HS256").split(".")
    forged = ".".join([header, b64url(json.dumps(claims(sub="admin")).encode()), signature])

    assert (await refused(hs, forged)).reason == "invalid"


async def test_an_expired_token_is_reported_as_expired_whichever_secret_signed_it(
    hs: JwtVerifier,
) -> None:
    # Signed with the second secret: the first one's bad signature must not hide the expiry.
    error = await refused(hs, sign(SECRET_B, "HS256", exp=int(time.time()) - 120))

    assert (error.reason, error.message) == ("expired", "the token has expired")


@pytest.mark.parametrize(
    "secrets",
    [["short"], [SECRET_A, "b" * 31], ["é" * 15]],
    ids=["5 bytes", "second secret 31 bytes", "30 bytes of UTF-8"],
)
def test_secrets_shorter_than_32_bytes_are_refused(secrets: list[str]) -> None:
    with pytest.raises(ValueError, match="at least 32"):
        JwtVerifier(secrets=secrets)


def test_a_single_string_is_not_taken_for_a_list_of_secrets() -> None:
    with pytest.raises(ValueError, match="not one string"):
        JwtVerifier(secrets="x" * 40)


def test_a_public_key_given_as_a_secret_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(ValueError, match="looks like a public key"):
        JwtVerifier(secrets=[public_pem(rsa_key)])


@pytest.mark.parametrize(
    "kinds",
    [
        {},
        {"secrets": [SECRET_A], "jwks_url": "https://issuer.example/jwks"},
        {"secrets": [SECRET_A], "public_key_pem": "pem"},
        {"public_key_pem": "pem", "jwks_url": "https://issuer.example/jwks"},
    ],
    ids=["none", "secret and JWKS", "secret and PEM", "PEM and JWKS"],
)
def test_exactly_one_kind_of_key_is_required(kinds: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="exactly one kind of key"):
        JwtVerifier(**kinds)


@pytest.mark.parametrize("url", ["ftp://issuer.example/jwks", "file:///etc/jwks.json"])
def test_a_jwks_url_must_be_http(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        JwtVerifier(jwks_url=url)


# --- times -----------------------------------------------------------------------------------


async def test_a_token_expired_less_than_the_leeway_ago_verifies(hs: JwtVerifier) -> None:
    principal = await hs.verify(sign(SECRET_A, "HS256", exp=int(time.time()) - 10))

    assert principal.name == "alice"


async def test_without_leeway_the_same_token_has_expired() -> None:
    verifier = JwtVerifier(secrets=[SECRET_A], leeway=0)

    error = await refused(verifier, sign(SECRET_A, "HS256", exp=int(time.time()) - 10))

    assert error.reason == "expired"


async def test_a_token_not_valid_yet_is_refused(hs: JwtVerifier) -> None:
    error = await refused(hs, sign(SECRET_A, "HS256", nbf=int(time.time()) + 120))

    assert (error.reason, error.message) == ("invalid", "the token is not valid yet")


async def test_a_token_valid_within_the_leeway_verifies(hs: JwtVerifier) -> None:
    soon = int(time.time()) + 10

    assert (await hs.verify(sign(SECRET_A, "HS256", nbf=soon, iat=soon))).name == "alice"


async def test_a_token_issued_in_the_future_is_refused(hs: JwtVerifier) -> None:
    error = await refused(hs, sign(SECRET_A, "HS256", iat=int(time.time()) + 120))

    assert error.reason == "invalid"


async def test_a_token_without_exp_is_refused(hs: JwtVerifier) -> None:
    error = await refused(hs, sign(SECRET_A, "HS256", exp=None))

    assert (error.reason, error.message) == ("invalid", "the token has no exp claim")


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", ["4102444800", True, [4102444800]], ids=["text", "bool", "list"])
async def test_times_that_are_not_numbers_are_refused(
    hs: JwtVerifier, claim: str, value: Any
) -> None:
    error = await refused(hs, sign(SECRET_A, "HS256", **{claim: value}))

    # Which refusal depends on who notices first: PyJWT reads `true` as 1 (1970: expired).
    assert error.reason in ("malformed", "invalid", "expired")


# --- issuer and audience ---------------------------------------------------------------------


@pytest.fixture
def strict() -> JwtVerifier:
    return JwtVerifier(secrets=[SECRET_A], issuer=ISSUER, audience=AUDIENCE)


async def test_a_token_for_this_issuer_and_audience_verifies(strict: JwtVerifier) -> None:
    token = sign(SECRET_A, "HS256", iss=ISSUER, aud=["other", AUDIENCE])

    assert (await strict.verify(token)).id == f"token:{ISSUER} alice"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"iss": ISSUER, "aud": "other"}, "the token is for another audience"),
        ({"iss": ISSUER, "aud": ["other", "another"]}, "the token is for another audience"),
        ({"iss": "https://evil.example", "aud": AUDIENCE}, "the token is from another issuer"),
        ({"aud": AUDIENCE}, "the token has no iss claim"),
        ({"iss": ISSUER}, "the token has no aud claim"),
    ],
    ids=["other audience", "other audiences", "other issuer", "no iss", "no aud"],
)
async def test_a_token_for_another_issuer_or_audience_is_refused(
    strict: JwtVerifier, overrides: dict[str, Any], message: str
) -> None:
    error = await refused(strict, sign(SECRET_A, "HS256", **overrides))

    assert (error.reason, error.message) == ("invalid", message)


async def test_a_token_naming_an_audience_is_refused_when_none_is_configured(
    hs: JwtVerifier,
) -> None:
    # RFC 7519 §4.1.3: a recipient that is not in `aud` must reject the token.
    error = await refused(hs, sign(SECRET_A, "HS256", aud="some-other-api"))

    assert error.message == "the token is for another audience"


async def test_an_issuer_that_is_not_a_string_is_refused(hs: JwtVerifier) -> None:
    token = hs256_by_hand({"alg": "HS256"}, claims(iss=7), SECRET_A.encode())

    assert (await refused(hs, token)).reason == "malformed"


# --- subject and scopes ----------------------------------------------------------------------


@pytest.mark.parametrize("sub", [None, "", 42], ids=["absent", "empty", "number"])
async def test_a_token_without_a_subject_is_refused(hs: JwtVerifier, sub: object) -> None:
    token = sign(SECRET_A, "HS256", sub=sub) if sub is not None else _without_sub()

    assert (await refused(hs, token)).reason == "invalid"


def _without_sub() -> str:
    payload = claims()
    del payload["sub"]
    return jwt.encode(payload, SECRET_A, algorithm="HS256")


@pytest.mark.parametrize(
    ("overrides", "scopes"),
    [
        ({"scope": "catalogue:read  catalogue:write"}, {"catalogue:read", "catalogue:write"}),
        ({"scp": "reviews:write admin"}, {"reviews:write", "admin"}),
        ({"scp": ["catalogue:read", "metrics:read"]}, {"catalogue:read", "metrics:read"}),
        ({"permissions": ["catalogue:write"]}, {"catalogue:write"}),
        ({"scope": "admin", "scp": ["catalogue:read"], "permissions": ["x"]}, {"admin"}),
        ({"scp": ["catalogue:read"], "permissions": ["x"]}, {"catalogue:read"}),
        ({"scope": ""}, set()),
        ({}, set()),
    ],
    ids=[
        "scope",
        "scp string",
        "scp array",
        "permissions",
        "scope first",
        "scp before permissions",
        "empty scope",
        "none",
    ],
)
async def test_scopes_are_read_from_scope_scp_or_permissions(
    hs: JwtVerifier, overrides: dict[str, Any], scopes: set[str]
) -> None:
    assert (await hs.verify(sign(SECRET_A, "HS256", **overrides))).scopes == scopes


@pytest.mark.parametrize(
    "overrides",
    [
        {"scope": ["catalogue:read"]},
        {"scope": 1},
        {"scp": {"catalogue:read": True}},
        {"scp": ["catalogue:read", 2]},
        {"scp": ["catalogue:read catalogue:write"]},
        {"permissions": "catalogue:read"},
        {"permissions": ["", "admin"]},
        {"scope": False, "scp": "admin"},
    ],
    ids=[
        "scope array",
        "scope number",
        "scp object",
        "scp with a number",
        "scp item with a space",
        "permissions string",
        "permissions empty item",
        "bad scope hides no scp",
    ],
)
async def test_malformed_scopes_refuse_the_token(
    hs: JwtVerifier, overrides: dict[str, Any]
) -> None:
    error = await refused(hs, sign(SECRET_A, "HS256", **overrides))

    assert error.reason == "malformed"
    assert "claim is malformed" in error.message


# --- algorithms: none, confusion, PEM keys -------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", ""])
async def test_an_unsigned_token_is_refused(
    hs: JwtVerifier, rsa_key: rsa.RSAPrivateKey, alg: str
) -> None:
    token = handmade({"alg": alg, "typ": "JWT"}, claims())
    rs = JwtVerifier(public_key_pem=public_pem(rsa_key))

    for verifier in (hs, rs):
        error = await refused(verifier, token)
        assert error.reason == "invalid"


async def test_a_token_without_alg_is_refused(hs: JwtVerifier) -> None:
    assert (await refused(hs, handmade({"typ": "JWT"}, claims(), b"x"))).reason == "invalid"


async def test_an_hs256_token_keyed_with_the_rsa_public_key_is_refused(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    pem = public_pem(rsa_key)
    verifier = JwtVerifier(public_key_pem=pem)
    token = hs256_by_hand({"alg": "HS256", "typ": "JWT"}, claims(), pem.encode())

    error = await refused(verifier, token)

    assert (error.reason, error.message) == (
        "invalid",
        "the token is signed with an algorithm this service does not accept",
    )


async def test_an_rs256_token_is_refused_by_a_secret_verifier(
    hs: JwtVerifier, rsa_key: rsa.RSAPrivateKey
) -> None:
    assert (await refused(hs, sign(rsa_key, "RS256"))).reason == "invalid"


async def test_an_rs256_token_verifies_with_its_pem(rsa_key: rsa.RSAPrivateKey) -> None:
    verifier = JwtVerifier(public_key_pem=public_pem(rsa_key))

    assert (await verifier.verify(sign(rsa_key, "RS256", kid="ignored"))).name == "alice"


async def test_rsa_variants_other_than_rs256_are_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    verifier = JwtVerifier(public_key_pem=public_pem(rsa_key))

    for algorithm in ("RS512", "PS256"):
        assert (await refused(verifier, sign(rsa_key, algorithm))).reason == "invalid"


async def test_an_es256_token_verifies_with_its_pem(ec_key: ec.EllipticCurvePrivateKey) -> None:
    verifier = JwtVerifier(public_key_pem=public_pem(ec_key), audience=AUDIENCE)

    principal = await verifier.verify(sign(ec_key, "ES256", aud=AUDIENCE, scp=["admin"]))

    assert (principal.name, principal.scopes) == ("alice", frozenset({"admin"}))


async def test_an_es256_token_signed_with_another_key_is_refused(
    ec_key: ec.EllipticCurvePrivateKey,
) -> None:
    verifier = JwtVerifier(public_key_pem=public_pem(ec_key))
    other = ec.generate_private_key(ec.SECP256R1())

    error = await refused(verifier, sign(other, "ES256"))

    assert error.message == "the token's signature does not verify"


async def test_an_ec_token_is_refused_by_an_rsa_verifier(
    rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey
) -> None:
    verifier = JwtVerifier(public_key_pem=public_pem(rsa_key))

    assert (await refused(verifier, sign(ec_key, "ES256"))).reason == "invalid"


async def test_a_certificate_pem_gives_its_public_key(rsa_key: rsa.RSAPrivateKey) -> None:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer.example")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(rsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2040, 1, 1, tzinfo=UTC))
        .sign(rsa_key, hashes.SHA256())
    )
    verifier = JwtVerifier(public_key_pem=certificate.public_bytes(Encoding.PEM).decode())

    assert (await verifier.verify(sign(rsa_key, "RS256"))).name == "alice"


def _pem_of(public: PublicKeyTypes) -> str:
    return public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.mark.parametrize(
    ("make_pem", "message"),
    [
        (lambda: "not a pem at all", "cannot be read"),
        (lambda: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "cannot be read"),
        (
            lambda: _pem_of(ec.generate_private_key(ec.SECP384R1()).public_key()),
            "ES256 needs P-256",
        ),
        (
            lambda: _pem_of(ed25519.Ed25519PrivateKey.generate().public_key()),
            "neither RSA",
        ),
        (
            lambda: _pem_of(rsa.generate_private_key(65537, 1024).public_key()),
            "RS256 needs 2048",
        ),
        (
            lambda: (
                ec.generate_private_key(ec.SECP256R1())
                .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
                .decode()
            ),
            "private key",
        ),
    ],
    ids=["garbage", "bad base64 body", "P-384", "Ed25519", "RSA 1024", "private key"],
)
def test_unusable_pems_are_refused(make_pem: Callable[[], str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        JwtVerifier(public_key_pem=make_pem())


# --- garbage -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "",
        ".",
        "..",
        "a.b.c",
        "a.b",
        "abc",
        "é.é.é",
        "eyJhbGciOiJIUzI1NiJ9",
        "eyJhbGciOiJIUzI1NiJ9..",
        "eyJhbGciOiJIUzI1NiJ9.e30.!!!!",
        b64url(b"[1, 2]") + ".e30.",
        b64url(b"not json") + ".e30.",
        b64url(b'{"alg": "HS256", "kid": 7}') + ".e30.",
        b64url(b'{"alg": ["HS256"]}') + ".e30.",
        b64url(b'{"alg": "HS256", "crit": ["exp"]}') + ".e30.",
        b64url(b'{"alg": "HS256"}') + "." + b64url(b"[" * 100_000) + ".",
        "Bearer " + "x" * 5000,
        "\x00\x01\x02",
        "\udc80.\udc80.\udc80",
    ],
)
async def test_garbage_is_refused_as_malformed_or_invalid(hs: JwtVerifier, token: str) -> None:
    error = await refused(hs, token)

    assert error.reason in ("malformed", "invalid")
    assert len(token) < 4 or token not in error.message


async def test_a_signed_payload_that_is_not_a_claims_object_is_refused(hs: JwtVerifier) -> None:
    token = hs256_by_hand({"alg": "HS256"}, ["sub", "alice"], SECRET_A.encode())

    assert (await refused(hs, token)).reason == "malformed"


_header_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_tokens = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda raw: raw.decode("latin-1")),
    st.lists(st.text("ABCDEFabcdef0123456789-_.=", max_size=40), max_size=5).map(".".join),
    st.tuples(
        st.dictionaries(st.sampled_from(["alg", "kid", "typ", "crit", "b64"]), _header_values),
        st.dictionaries(st.sampled_from(["sub", "exp", "scope", "aud"]), _header_values),
        st.binary(max_size=64),
    ).map(lambda parts: handmade(*parts)),
    st.dictionaries(
        st.sampled_from(["sub", "exp", "nbf", "iat", "iss", "scp"]), _header_values
    ).map(lambda payload: hs256_by_hand({"alg": "HS256"}, payload, SECRET_A.encode())),
)


@pytest.fixture(scope="module")
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as running:
        yield running


@settings(max_examples=200, deadline=None)
@given(token=_tokens)
def test_any_text_is_refused_with_unauthenticated_only(runner: asyncio.Runner, token: str) -> None:
    # Only a token signed with the secret and carrying the issuer could pass; none does.
    verifier = JwtVerifier(secrets=[SECRET_A], issuer=ISSUER)

    with pytest.raises(Unauthenticated) as caught:
        runner.run(verifier.verify(token))

    assert caught.value.reason in ("malformed", "invalid", "expired")


# --- JWKS over HTTP --------------------------------------------------------------------------


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def server() -> AsyncIterator[JwksServer]:
    serving = JwksServer()
    await serving.start()
    yield serving
    await serving.stop()


@pytest.fixture
async def make_verifier(
    server: JwksServer, clock: Clock
) -> AsyncIterator[Callable[..., JwtVerifier]]:
    made: list[JwtVerifier] = []

    def make(**options: Any) -> JwtVerifier:
        verifier = JwtVerifier(
            jwks_url=server.url,
            monotonic=clock,
            # trust_env=False: a proxy named in the environment must not catch loopback calls.
            client_factory=lambda: httpx.AsyncClient(trust_env=False),
            **options,
        )
        made.append(verifier)
        return verifier

    yield make
    for verifier in made:
        await verifier.close()


async def test_rs256_and_es256_tokens_verify_with_the_key_their_kid_names(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    rsa_key: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1"), jwk(ec_key.public_key(), "e1")])
    verifier = make_verifier(issuer=ISSUER)

    rs = await verifier.verify(sign(rsa_key, "RS256", kid="r1", iss=ISSUER))
    es = await verifier.verify(sign(ec_key, "ES256", kid="e1", iss=ISSUER, sub="bob"))

    assert (rs.id, es.id) == (f"token:{ISSUER} alice", f"token:{ISSUER} bob")
    assert server.hits == 1  # fetched once, then cached


async def test_a_token_naming_the_wrong_kind_of_key_is_refused(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    rsa_key: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    verifier = make_verifier()

    error = await refused(verifier, sign(ec_key, "ES256", kid="r1"))

    assert error.message == "the token is signed with an algorithm this service does not accept"


async def test_tokens_with_foreign_algorithms_never_prompt_a_fetch(
    server: JwksServer, make_verifier: Callable[..., JwtVerifier]
) -> None:
    verifier = make_verifier()

    for token in (
        handmade({"alg": "none", "kid": "k"}, claims()),
        sign(SECRET_A, "HS256", kid="k"),
        "garbage",
    ):
        assert (await refused(verifier, token)).reason in ("invalid", "malformed")

    assert server.hits == 0


async def test_an_hs256_token_keyed_with_a_published_jwk_is_refused(
    server: JwksServer, make_verifier: Callable[..., JwtVerifier], rsa_key: rsa.RSAPrivateKey
) -> None:
    published = jwk(rsa_key.public_key(), "r1")
    server.serve([published])
    verifier = make_verifier()
    await verifier.start()

    for secret in (json.dumps(published).encode(), public_pem(rsa_key).encode()):
        token = hs256_by_hand({"alg": "HS256", "kid": "r1"}, claims(), secret)
        assert (await refused(verifier, token)).reason == "invalid"


async def test_a_token_without_kid_uses_the_only_key(
    server: JwksServer, make_verifier: Callable[..., JwtVerifier], rsa_key: rsa.RSAPrivateKey
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])

    assert (await make_verifier().verify(sign(rsa_key, "RS256"))).name == "alice"


async def test_a_token_without_kid_is_refused_when_the_set_has_several_keys(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    rsa_key: rsa.RSAPrivateKey,
    rsa_key_2: rsa.RSAPrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1"), jwk(rsa_key_2.public_key(), "r2")])

    error = await refused(make_verifier(), sign(rsa_key, "RS256"))

    assert error.message == "the token names no key (kid) and the key set holds several"


async def test_keys_of_other_kinds_or_with_a_disagreeing_alg_are_ignored(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    rsa_key: rsa.RSAPrivateKey,
    rsa_key_2: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
) -> None:
    server.serve(
        [
            {"kty": "oct", "kid": "hmac", "k": b64url(SECRET_A.encode())},
            jwk(rsa_key.public_key(), "wrong-alg", alg="RS512"),
            jwk(ec_key.public_key(), "for-encryption", use="enc"),
            jwk(ec.generate_private_key(ec.SECP384R1()).public_key(), "p384"),
            {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
            "not an object",
            jwk(rsa_key_2.public_key(), "good", alg="RS256", use="sig"),
        ]
    )
    verifier = make_verifier()

    assert (await verifier.verify(sign(rsa_key_2, "RS256", kid="good"))).name == "alice"
    for token in (
        sign(rsa_key, "RS256", kid="wrong-alg"),
        sign(ec_key, "ES256", kid="for-encryption"),
        sign(SECRET_A, "HS256", kid="hmac"),
    ):
        assert (await refused(verifier, token)).reason == "invalid"
    # The one usable key is the only one: a token without kid uses it.
    assert (await verifier.verify(sign(rsa_key_2, "RS256"))).name == "alice"


async def test_a_rotated_key_verifies_after_a_refetch(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    clock: Clock,
    rsa_key: rsa.RSAPrivateKey,
    rsa_key_2: rsa.RSAPrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "2026-01")])
    verifier = make_verifier()
    assert (await verifier.verify(sign(rsa_key, "RS256", kid="2026-01"))).name == "alice"

    server.serve([jwk(rsa_key.public_key(), "2026-01"), jwk(rsa_key_2.public_key(), "2026-02")])
    new_token = sign(rsa_key_2, "RS256", kid="2026-02")
    clock.advance(30)  # within the refresh interval: no fetch yet
    assert (await refused(verifier, new_token)).message == (
        "the token is signed with a key this service does not know"
    )
    assert server.hits == 1

    clock.advance(31)
    assert (await verifier.verify(new_token)).name == "alice"
    assert (await verifier.verify(sign(rsa_key, "RS256", kid="2026-01"))).name == "alice"
    assert server.hits == 2


async def test_unknown_kids_prompt_one_fetch_per_refresh_interval(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    clock: Clock,
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    verifier = make_verifier()
    await verifier.start()
    clock.advance(60)

    async def random_kid() -> Unauthenticated:
        return await refused(verifier, sign(rsa_key, "RS256", kid=uuid.uuid4().hex))

    errors = await asyncio.gather(*(random_kid() for _ in range(50)))
    errors += [await random_kid() for _ in range(50)]
    assert server.hits == 2  # the start, then one re-fetch shared by all of them
    assert {error.reason for error in errors} == {"invalid"}

    clock.advance(59)
    await asyncio.gather(*(random_kid() for _ in range(20)))
    assert server.hits == 2

    clock.advance(1)
    await asyncio.gather(*(random_kid() for _ in range(20)))
    assert server.hits == 3
    assert (await verifier.verify(sign(rsa_key, "RS256", kid="r1"))).name == "alice"


async def test_concurrent_first_requests_share_one_fetch(
    server: JwksServer, make_verifier: Callable[..., JwtVerifier], rsa_key: rsa.RSAPrivateKey
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    server.delay = 0.1
    verifier = make_verifier()
    token = sign(rsa_key, "RS256", kid="r1")

    principals = await asyncio.gather(*(verifier.verify(token) for _ in range(30)))

    assert {principal.name for principal in principals} == {"alice"}
    assert server.hits == 1


async def test_a_server_down_at_start_makes_tokens_unverifiable_until_it_is_up(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    clock: Clock,
    rsa_key: rsa.RSAPrivateKey,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    await server.stop()
    verifier = make_verifier()
    token = sign(rsa_key, "RS256", kid="r1")

    with caplog.at_level(logging.WARNING, logger="library.adapters.jwt"):
        await verifier.start()  # logs, does not raise
    assert "cannot be used" in caplog.text
    with pytest.raises(VerifierUnavailable):
        await verifier.verify(token)
    clock.advance(2)
    with pytest.raises(VerifierUnavailable):  # tried again, still down
        await verifier.verify(token)

    await server.start()
    with pytest.raises(VerifierUnavailable):  # the retry interval has not passed
        await verifier.verify(token)
    clock.advance(2)
    assert (await verifier.verify(token)).name == "alice"
    assert server.hits == 1


async def test_a_cached_key_keeps_working_while_the_server_is_down(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    clock: Clock,
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    verifier = make_verifier()
    token = sign(rsa_key, "RS256", kid="r1")
    assert (await verifier.verify(token)).name == "alice"

    await server.stop()
    clock.advance(3600)  # well past the set's max age: a background fetch fails
    for _ in range(3):
        assert (await verifier.verify(token)).name == "alice"
        await asyncio.sleep(0.05)

    # A key the cache lacks cannot be told unknown while the set cannot be fetched.
    with pytest.raises(VerifierUnavailable):
        await verifier.verify(sign(rsa_key, "RS256", kid="r2"))


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"keys": []}'),
        (302, b""),
        (200, b"<html>not json</html>"),
        (200, b'{"keys": {"kid": "r1"}}'),
        (200, b"[]"),
        (200, b'{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}'),
        (200, b"\xff\xfe"),
    ],
    ids=["500", "redirect", "not JSON", "keys not an array", "array", "no usable key", "bytes"],
)
async def test_an_unusable_answer_makes_tokens_unverifiable(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    rsa_key: rsa.RSAPrivateKey,
    status: int,
    body: bytes,
) -> None:
    server.status, server.body = status, body

    with pytest.raises(VerifierUnavailable) as caught:
        await make_verifier().verify(sign(rsa_key, "RS256", kid="r1"))

    assert caught.value.retry_after >= 1


async def test_a_server_too_slow_to_answer_makes_tokens_unverifiable(
    server: JwksServer, make_verifier: Callable[..., JwtVerifier], rsa_key: rsa.RSAPrivateKey
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    server.delay = 5
    verifier = make_verifier(timeout=0.2)

    started = time.monotonic()
    with pytest.raises(VerifierUnavailable):
        await verifier.verify(sign(rsa_key, "RS256", kid="r1"))

    assert time.monotonic() - started < 2


async def test_a_withdrawn_key_stops_working_once_the_set_is_old(
    server: JwksServer,
    make_verifier: Callable[..., JwtVerifier],
    clock: Clock,
    rsa_key: rsa.RSAPrivateKey,
    rsa_key_2: rsa.RSAPrivateKey,
) -> None:
    server.serve([jwk(rsa_key.public_key(), "old"), jwk(rsa_key_2.public_key(), "new")])
    verifier = make_verifier(max_age=300)
    old = sign(rsa_key, "RS256", kid="old")
    assert (await verifier.verify(old)).name == "alice"

    server.serve([jwk(rsa_key_2.public_key(), "new")])
    clock.advance(300)
    assert (await verifier.verify(old)).name == "alice"  # served from the cache; refetching

    error = await _first_refusal(verifier, old, within=1.0)

    assert error is not None, "the withdrawn key kept working"
    assert error.message == "the token is signed with a key this service does not know"
    assert server.hits == 2
    assert (await verifier.verify(sign(rsa_key_2, "RS256", kid="new"))).name == "alice"


async def _first_refusal(
    verifier: JwtVerifier, token: str, *, within: float
) -> Unauthenticated | None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        try:
            await verifier.verify(token)
        except Unauthenticated as error:
            return error
    return None


async def test_close_ends_a_fetch_under_way(
    server: JwksServer, make_verifier: Callable[..., JwtVerifier], rsa_key: rsa.RSAPrivateKey
) -> None:
    server.serve([jwk(rsa_key.public_key(), "r1")])
    server.delay = 5
    verifier = make_verifier()
    waiting = asyncio.create_task(verifier.verify(sign(rsa_key, "RS256", kid="r1")))
    await asyncio.sleep(0.1)

    await asyncio.wait_for(verifier.close(), 1)

    with pytest.raises((asyncio.CancelledError, VerifierUnavailable)):
        await waiting
