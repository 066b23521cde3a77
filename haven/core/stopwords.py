"""English words too common to tell texts apart: left out of "any of these words" searches
and of the reasons given for suggestions ("also mentions 'feel'" helps no one)."""

STOPWORDS = frozenset(
    """
    about above after again against all also always am an and any anyone anything are aren
    around as at back be because been before being below between both but by can cannot could
    couldn day days did didn do does doesn doing don done down during each else even ever every
    everyone everything feel feeling feels felt few for from get gets getting go goes going gone
    got had hadn has hasn have haven having he her here hers herself him himself his how i if in
    into is isn it its itself just keep know last least less let like little lot lots made make
    makes many may me might more most much must my myself need needs never new next no nor not
    nothing now of off often on once one only or other others our ours ourselves out over own
    people person please pretty quite rather really right said same say says see seem seems she
    should so some someone something sometimes still such sure take tell than that the their
    theirs them themselves then there these they thing things think this those though through
    time times to today too try trying under until up us use used very want wanted wants was
    wasn way we week well were weren what when where which while who whom why will with without
    won work would wouldn year years yes yet you your yours yourself yourselves i'm i've i'd
    it's don't can't didn't doesn't isn't wasn't i'll that's what's there's you're they're
    anybody somebody everybody bit kind sort lately okay ok thanks thank hi hello month months
    ago yesterday tomorrow weeks tonight whole since
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
