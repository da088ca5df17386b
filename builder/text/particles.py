"""Korean particles chosen by the word they follow.

The Korean strings write a particle pair after a placeholder — ``은(는)``, ``이(가)``,
``을(를)``, ``과(와)``, ``(으)로`` — because the word is known only once the values are
filled in. :func:`resolve` picks one form from the sound the preceding word ends in:

* a Hangul syllable has a final consonant (batchim) iff ``(code − 0xAC00) % 28 ≠ 0``; the
  final ㄹ (index 8) takes ``로``, not ``으로``;
* a number as it is read: its last digit (1 일, 2 이, 3 삼 …, 0 영), or for round numbers
  the unit (10 십, 100 백, 1000 천, 10000 만, 10⁸ 억, 10¹² 조); after a decimal point the
  digits are read one by one;
* Latin letters: an abbreviation (capitals, or a single letter: "MNIST", "GB", the "D" of
  "Conv2D") by the name of its last letter (T 티, L 엘, M 엠, N 엔, R 알); a word as Korean
  writes English words: -m, -n, -ng end in a consonant, -l in ㄹ, and a final p, t, k (ck)
  after a single short vowel is a final consonant ("cat" 캣, "ship" 십, "truck" 트럭,
  "input" 인풋, "Dropout" 드롭아웃); any other ending reads as a vowel ("coat" 코트,
  "shirt" 셔츠, "deer" 디어, "dog" 도그);
* closing brackets, quotes, spaces and markdown marks before the pair are skipped
  ("“5”를", "(28×28×1)을"); ``%`` reads 퍼센트; anything else counts as a vowel.
"""
from __future__ import annotations

import re

# (batchim, rieul) of what a word ends in
Sound = tuple[bool, bool]
VOWEL: Sound = (False, False)
CONSONANT: Sound = (True, False)
RIEUL: Sound = (True, True)

PAIRS = {"은(는)": ("은", "는"), "이(가)": ("이", "가"), "을(를)": ("을", "를"),
         "과(와)": ("과", "와")}
PATTERN = re.compile(r"은\(는\)|이\(가\)|을\(를\)|과\(와\)|\(으\)로")
SKIPPED = " \t)]}”’\"'»*`_"
DIGITS: dict[str, Sound] = {"0": CONSONANT, "1": RIEUL, "2": VOWEL, "3": CONSONANT,
                            "4": VOWEL, "5": VOWEL, "6": CONSONANT, "7": RIEUL, "8": RIEUL,
                            "9": VOWEL}
# letter names as read in Korean: L 엘, M 엠, N 엔, R 알 end in a consonant
LETTERS: dict[str, Sound] = {"l": RIEUL, "m": CONSONANT, "n": CONSONANT, "r": RIEUL}
SHORT_STOP = re.compile(r"(?:^|[^aeiou])[aeiou](?:p|t|k|ck)$|out$")  # 캣, 십, 트럭, 아웃
NUMBER = re.compile(r"(\.?)([0-9][0-9,]*)$")
WORD = re.compile(r"[A-Za-z]+$")


def resolve(text: str) -> str:
    """``text`` with every particle pair replaced by the form its preceding word takes."""
    if "(" not in text:
        return text
    out: list[str] = []
    last = 0
    for match in PATTERN.finditer(text):
        out.append(text[last:match.start()])
        out.append(choose(match.group(), ending("".join(out))))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def choose(pair: str, sound: Sound) -> str:
    batchim, rieul = sound
    if pair == "(으)로":
        return "으로" if batchim and not rieul else "로"
    with_batchim, without = PAIRS[pair]
    return with_batchim if batchim else without


def ending(before: str) -> Sound:
    """How the text ``before`` a particle ends: (has a final consonant, it is ㄹ)."""
    word = before.rstrip(SKIPPED)
    if not word:
        return VOWEL
    last = word[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return (final != 0, final == 8)
    if "ㄱ" <= last <= "ㅎ":  # a lone consonant jamo
        return (True, last == "ㄹ")
    if last.isascii() and last.isdigit():
        return _number(word)
    if last.isascii() and last.isalpha():
        return _latin(WORD.search(word).group())
    return VOWEL  # % (퍼센트), symbols


def _number(word: str) -> Sound:
    point, digits = NUMBER.search(word).groups()
    digits = digits.replace(",", "")
    if point or digits.strip("0") == "":
        return DIGITS[digits[-1]]
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0:
        return DIGITS[digits[-1]]
    return VOWEL if zeros >= 12 else CONSONANT  # 십 백 천 만 억 (조: a vowel)


def _latin(word: str) -> Sound:
    if len(word) == 1 or word.isupper():  # an abbreviation: letter names
        return LETTERS.get(word[-1].lower(), VOWEL)
    lower = word.lower()
    if lower.endswith(("m", "n", "ng")):
        return CONSONANT
    if lower.endswith("l"):
        return RIEUL
    return CONSONANT if SHORT_STOP.search(lower) else VOWEL
