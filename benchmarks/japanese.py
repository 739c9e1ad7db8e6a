"""A Japanese synthetic pool, for `generate.py --language ja`.

Reviews in Japanese, built like the English ones from sentence templates and word lists
with a seeded `random.Random` (the same N, the same bytes), for what depends on the
script: a CJK book embeds Noto Serif CJK JP, a CFF-flavoured OpenType face, and draws on
many more glyphs than a Latin one. Names of people, places and works are made from a
list of 642 common kanji, so a book of 300 reviews uses several hundred different glyphs
(773), as real Japanese prose does.
"""
# ruff: noqa: RUF001  (Japanese punctuation is the subject here)

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from pathlib import Path

KANJI = (
    "一右雨円王音下火花貝学気九休玉金空月犬見五口校左三山子四糸字耳七車手十出女小上森人"
    "水正生青夕石赤千川先早草足村大男竹中虫町天田土二日入年白八百文木本名目立力林六引羽"
    "雲園遠何科夏家歌画回会海絵外角楽活間丸岩顔汽記帰弓牛魚京強教近兄形計元言原戸古午後"
    "語工公広交光考行高黄合谷国黒今才細作算止市矢姉思紙寺自時室社弱首秋週春書少場色食心"
    "新親図数西声星晴切雪船線前組走多太体台地池知茶昼長鳥朝直通弟店点電刀冬当東答頭同道"
    "読内南肉馬売買麦半番父風分聞米歩母方北毎妹万明鳴毛門夜野友用曜来里理話悪安暗医委意"
    "育員院飲運泳駅央横屋温化荷界開階寒感漢館岸起期客究急級宮球去橋業曲局銀区苦具君係軽"
    "血決研県庫湖向幸港号根祭皿仕死使始指歯詩次事持式実写者主守取酒受州拾終習集住重宿所"
    "暑助昭消商章勝乗植申身神真深進世整昔全相送想息速族他打対待代第題炭短談着注柱丁帳調"
    "追定庭笛鉄転都度投豆島湯登等動童農波配倍箱畑発反坂板皮悲美鼻筆氷表秒病品負部服福物"
    "平返勉放味命面問役薬由油有遊予羊洋葉陽様落流旅両緑礼列練路和愛案以衣位茨印英栄媛塩"
    "岡億加果貨課芽賀改械害街各覚潟完官管関観願岐希季旗器機議求泣給挙漁共協鏡競極熊訓軍"
    "郡群径景芸欠結建健験固功好香候康佐差菜最埼材崎昨札刷察参産散残氏司試児治滋辞鹿失借"
    "種周祝順初松笑唱焼照城縄臣信井成省清静席積折節説浅戦選然争倉巣束側続卒孫帯隊達単置"
    "仲沖兆低底的典伝徒努灯働特徳栃奈梨熱念敗梅博阪飯飛必票標不夫付府阜富副兵別辺変便包"
    "法望牧末満未民無約勇要養浴利陸良料量輪類令冷例連老労録")
FAMILY_ENDINGS = "田川山木本野村井原島"
NOUNS = ("物語", "主人公", "監督", "脚本", "音楽", "演技", "撮影", "家族", "記憶", "季節",
         "友情", "恋愛", "孤独", "沈黙", "時間", "画面", "結末", "場面", "台詞", "風景",
         "余韻", "緊張", "笑い", "涙", "光", "影", "雨", "夜明け", "日常", "秘密")
ADJECTIVES = ("静かな", "美しい", "切ない", "温かい", "不思議な", "丁寧な", "大胆な",
              "繊細な", "懐かしい", "鮮やかな", "重たい", "軽やかな", "優しい", "冷たい")
KINDS = (("film", "映画"), ("series", "ドラマ"), ("book", "小説"), ("album", "アルバム"),
         ("game", "ゲーム"))
OPENINGS = (
    "『{work}』は、{adj}{noun}をめぐる{kind}である。",
    "{creator}の新作『{work}』は、{place}を舞台にした{adj}{kind}だ。",
    "最初の数分で、この{kind}が{adj}ものになると分かる。",
    "{year}年に発表された『{work}』を、いま改めて見直してみた。",
)
MIDDLES = (
    "{person}の{noun}は、{adj}{noun2}と重なり合う。",
    "{creator}は{noun}と{noun2}のあいだを丁寧に描いている。",
    "{place}の{noun}が、{adj}印象を残す。",
    "とりわけ{person}が{noun}を語る場面は忘れがたい。",
    "{noun}の扱いには{adj}工夫があり、見る者を飽きさせない。",
    "中盤、物語は{place}へ移り、{noun2}が前面に出てくる。",
    "{adj}{noun}が、{kind}全体を静かに支えている。",
    "{person}と{person2}の関係は、{noun}を通じて少しずつ変わっていく。",
    "{noun}は決して派手ではないが、{adj}説得力がある。",
    "ここでの{noun2}は、{year}年ごろの{kind}を思わせる。",
)
RESERVES = (
    "ただし、{noun}の描写はやや説明的に過ぎる。",
    "惜しむらくは、{noun2}が終盤で急ぎ足になることだ。",
)
VERDICTS = (
    "{adj}{kind}として、広く薦めたい一作である。",
    "結局のところ、『{work}』は{noun}についての{adj}記録なのだ。",
)
HOOKS = ("{adj}{noun}の記録", "{noun}と{noun2}のあいだで", "{place}の{adj}{noun}")


def _name(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(KANJI) for _ in range(length))


def _person(rng: random.Random) -> str:
    return _name(rng, 1) + rng.choice(FAMILY_ENDINGS) + " " + _name(rng, 2)


class _Voice:
    def __init__(self, rng: random.Random, work: str, kind: str, creator: str,
                 year: int) -> None:
        self.rng = rng
        self.fixed = {"work": work, "kind": kind, "creator": creator, "year": str(year)}

    def fill(self, templates: Sequence[str]) -> str:
        rng = self.rng
        nouns = rng.sample(NOUNS, 2)
        people = (_person(rng).split()[0], _person(rng).split()[0])
        return rng.choice(templates).format(
            **self.fixed, adj=rng.choice(ADJECTIVES), noun=nouns[0], noun2=nouns[1],
            person=people[0], person2=people[1], place=_name(rng, 2) + rng.choice("市町村"))


def _body(rng: random.Random, voice: _Voice) -> str:
    paragraphs = [[voice.fill(OPENINGS)]]
    for _ in range(rng.randint(5, 10)):
        paragraphs.append([voice.fill(MIDDLES) for _ in range(rng.randint(3, 6))])
    paragraphs[-1].append(voice.fill(RESERVES))
    paragraphs.append([voice.fill(MIDDLES), voice.fill(VERDICTS)])
    return "\n\n".join("".join(sentences) for sentences in paragraphs) + "\n"


def _review(rng: random.Random, index: int, reviewers: Sequence[str]) -> str:
    kind, kind_word = rng.choice(KINDS)
    work = _name(rng, rng.randint(2, 4)) + rng.choice(("", "の" + rng.choice(NOUNS)))
    date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4017))
    creator = _person(rng)
    voice = _Voice(rng, work, kind_word, creator, date.year - rng.randint(0, 2))
    quoted = json.dumps  # a JSON string is valid YAML, whatever the text contains
    front = [
        "---",
        f"title: {quoted(f'『{work}』評：' + voice.fill(HOOKS), ensure_ascii=False)}",
        f"standfirst: {quoted(voice.fill(VERDICTS), ensure_ascii=False)}",
        f"author: {quoted(rng.choice(reviewers), ensure_ascii=False)}",
        f"date: {date.isoformat()}",
        "work:",
        f"  title: {quoted(work, ensure_ascii=False)}",
        f"  kind: {kind}",
        f"  year: {date.year}",
        f"  creators: {quoted([creator], ensure_ascii=False)}",
        f"rating: {rng.randint(2, 5)}/5",
        f"tags: [{', '.join(rng.sample(('drama', 'comedy', 'mystery', 'romance'), 2))}]",
        "language: ja",
        "status: ready",
        "---",
        "",
    ]
    return "\n".join(front) + _body(rng, voice)


def generate(n: int, outdir: Path, manuscripts: Path, marker: str, seed: int) -> list[Path]:
    """Write the Japanese project into `outdir` (its `manuscripts` folder prepared)."""
    rng = random.Random(seed + n)
    reviewers = sorted({_person(rng) for _ in range(max(2, round(n / 20)))})
    contributors = "".join(f'\n[contributors.{json.dumps(name, ensure_ascii=False)}]\n'
                           f'bio = "{_name(rng, 2)}在住の批評家。"\n' for name in reviewers)
    (outdir / "chapbook.toml").write_text(
        f'{marker}\n\n[press]\nname = "ベンチマーク書房"\nlanguage = "ja"\n'
        f"rating_scale = 5\n{contributors}\n[[anthology]]\nslug = \"bench\"\n"
        f'title = "ベンチマーク読本"\nsubtitle = "{n}の評"\n'
        f"editors = [{json.dumps(reviewers[0], ensure_ascii=False)}]\n"
        'language = "ja"\nselect = {}\norder = "date"\n', encoding="utf-8")
    written = []
    for index in range(n):
        path = manuscripts / f"review-{index + 1:05d}.md"
        path.write_text(_review(rng, index, reviewers), encoding="utf-8")
        written.append(path)
    return written
