"""Real English words for the tests that compare the in-memory search with PostgreSQL's.

Families of inflected and derived forms (runs, running, ran; library, libraries), so that
stemming decides what matches, and a sample of PostgreSQL's English stop words. Only
alphabetic words: PostgreSQL's parser reads words holding digits or punctuation its own way
(see library/adapters/memory/postgres_search/english.py).
"""

from __future__ import annotations

FAMILIES: tuple[tuple[str, ...], ...] = tuple(
    tuple(line.split())
    for line in """
    run runs running ran runner runners
    library libraries librarian librarians
    book books booked booking bookish
    read reads reading reader readers
    write writes writing wrote written writer writers
    story stories storied storytelling
    history histories historical historian
    dog dogs doggedly
    cat cats
    mouse mice
    goose geese
    child children childhood
    man men manly
    woman women
    wolf wolves
    city cities
    sky skies
    fly flies flying flew flight
    die dies dying died death
    happy happier happiest happily happiness unhappy
    generous generously generosity
    generate generates generated generation generations general generally
    connect connects connected connecting connection connections
    organize organized organizing organization organizations
    universe universal university universities
    add adds added adding addition
    argue argues argued arguing argument arguments
    agree agrees agreed agreement
    quick quickly quicker quickness
    play plays played playing player players playful
    love loves loved loving lover lovely
    live lives lived living life
    know knows knew known knowledge
    think thinks thought thinking
    war wars warrior warriors
    house houses housing housed
    garden gardens gardener gardening
    travel travels traveled travelling traveller
    sing sings sang sung singer song songs
    dream dreams dreamed dreamt dreaming dreamer
    night nights nightly
    light lights lighting lighted lit
    dark darker darkness
    sea seas
    ship ships shipping shipped
    king kings kingdom
    queen queens
    land lands landed landing
    star stars starry
    fire fires fired
    water waters watered
    stone stones stony
    tree trees
    river rivers
    mountain mountains mountainous
    friend friends friendly friendship
    family families familiar
    teach teaches taught teaching teacher teachers
    learn learns learned learnt learning learner
    begin begins began begun beginning
    end ends ended ending endless
    new newer newest news
    old older oldest
    great greater greatest greatly
    simple simply simpler simplicity
    nation nations national nationally
    science sciences scientific scientist
    """.strip().splitlines()
)

# Stop words of PostgreSQL's `english` configuration, "or" (websearch's operator) among them.
_STOP_WORDS = (
    "the a an of and or in on at to is was are be not no for with by from as it its this"
    " that his her their they we you i"
)
STOP_WORDS: tuple[str, ...] = tuple(_STOP_WORDS.split())

WORDS: tuple[str, ...] = tuple(word for family in FAMILIES for word in family)

assert all(word.isascii() and word.isalpha() and word.islower() for word in WORDS + STOP_WORDS)
