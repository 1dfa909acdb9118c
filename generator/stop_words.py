"""The words search leaves out, per language: the most frequent little words (articles, pronouns,
prepositions, conjunctions, forms of "to be" and "to have"), which match almost every page.

Each list is written as the search folds words (lowercase, without accents or Arabic vowel marks),
so "été" is `ete` here. Words of one letter are never indexed, so no list needs them.
"""

from __future__ import annotations


def _listed(text: str) -> frozenset[str]:
    """The words of `text`, separated by spaces or new lines."""
    return frozenset(text.split())


ENGLISH = _listed(
    """
    a an and are as at be but by for from has have i if in into is it its of on or so that the their them
    then there these they this to was we were what when which who will with you your
    """
)

FRENCH = _listed(
    """
    au aux avec ce ces cet cette ceux chez dans de des du elle elles en entre est et etait ete etre
    ils je la le les leur leurs lui ma mais me mes moi mon ne nos notre nous on ont ou par pas pour
    qu que qui sa sans se ses son sont sur ta te tes toi ton tu un une vos votre vous
    ai as avait avoir sera suis
    """
)

GERMAN = _listed(
    """
    als am an auch auf aus bei bin bist das dass dem den der des die du durch ein eine einem einen
    einer eines er es fur hat habe haben hatte ich ihm ihn ihnen ihr ihre im in ist mit nach nicht
    oder sein seine sich sie sind uber um und uns unser unsere vom von vor war waren wenn werden wie
    wir wird wurde zu zum zur
    """
)

SPANISH = _listed(
    """
    al como con cual cuando de del donde el ella ellas ellos en entre era es esa ese eso esta estan
    estar estas este esto estos fue ha han hay la las le les lo los me mi mis nos para pero por que
    se ser si sin sobre son su sus te tu tus un una uno unos unas usted ustedes ya yo
    """
)

ARABIC = _listed(
    """
    ان انا انت او اي التي الذي الذين الى اذا بعد بين تلك ثم حتى عن عند على فى في قد كان كانت كل
    كما لا لم لن له لها لهم ما مع من منذ هذا هذه ذلك هو هي هم هناك هنا نحن وهو وهي يكون تكون
    الا ايضا به بها عليه عليها غير فيه فيها لكن ليس منه منها
    """
)

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "de": GERMAN,
    "es": SPANISH,
    "ar": ARABIC,
}  # by base language: a regional tag (fr-CA) uses its language's list
