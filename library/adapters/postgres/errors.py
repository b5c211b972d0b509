"""Database errors translated to the application's, in one place."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
import psycopg_pool
from psycopg import errors as pg

from library.application.errors import ConcurrentUpdate, StorageUnavailable
from library.domain.errors import ValidationFailed

log = logging.getLogger(__name__)


@asynccontextmanager
async def translated() -> AsyncIterator[None]:
    """Turn psycopg's exceptions raised inside the block into application errors.

    Raises:
        ConcurrentUpdate: the transaction lost a race (deadlock, serialisation failure, a
            referenced row deleted meanwhile); the use case may run again.
        StorageUnavailable: PostgreSQL cannot be reached, or a query ran past
            statement_timeout.
        ValidationFailed: PostgreSQL refused a value the domain let through (a rule of the
            two has drifted apart; logged so it gets fixed).
    """
    try:
        yield
    except (pg.SerializationFailure, pg.DeadlockDetected, pg.ForeignKeyViolation) as error:
        raise ConcurrentUpdate(str(error)) from error
    except pg.QueryCanceled as error:
        log.warning("query cancelled (statement_timeout): %s", error)
        raise StorageUnavailable("the catalogue took too long to answer") from error
    except (pg.CheckViolation, pg.DataError) as error:
        log.error("PostgreSQL refused a value the domain accepted: %s", error)
        raise ValidationFailed.single("", "a value is not accepted by the catalogue") from error
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout, pg.AdminShutdown) as error:
        log.warning("PostgreSQL unavailable: %s", error)
        raise StorageUnavailable() from error
