"""Every mistake the compiler reports, written once: a stable code, what is wrong, what to write.

A mistake is reported as (DESIGN.md, "Errors for an editor"):

    policies/changchun.yaml:58: 有未知的键“deductibel”〔unknown-key〕
        位置：长春市 · 城镇职工基本医疗保险 · 2010-09-03 版本 · 住院
        是不是想写：“deductible”（起付线）
        应当写：这里可以写的键：“label”（名称）、“method”（结算方式）、……
        由此引起，改好上面一处即可：缺少“facilities”

The code (`code`, also on PolicyDataError) is what tests and tools match; the words may change.
Identifiers, values and codes stand in quotation marks or 〔〕, so the rest of a message is
Chinese only. policies/README.md lists the codes (generated from CODES).
"""

from __future__ import annotations

# code -> (what is wrong, what to write instead); {names} are filled by the check that reports it.
CODES = {
    # reading the file (compiler/yaml_loader.py): refused before it costs time or memory
    "file-too-large": (
        "文件过大：超过 {limit} 字节（这一行越过上限）",
        "政策文件通常不到 5 万字节：请检查是否粘贴了多余的内容",
    ),
    "not-utf8": ("文件不是有效的“UTF-8”编码", "请用“UTF-8”编码保存文件"),
    "unreadable": ("无法读取文件：{reason}", "请检查文件是否存在、能否打开"),
    "empty-file": ("文件是空的", "请写入这个地区的政策内容（可以复制一个已有地区的文件再修改）"),
    "several-documents": ("一个文件只能有一个“YAML”文档", "请删除“---”分隔线，把内容合成一份"),
    "yaml-syntax": (
        "“YAML”语法错误：{problem}",
        "请检查这一行的缩进、冒号和引号（键和值之间写“: ”，含冒号的文字加引号）",
    ),
    "text-control-character": (
        "{where}看不见的控制字符“U+{char}”：它会让网页上的文字显示或比较出错",
        "请删除它（只允许换行和制表符）",
    ),
    "nesting-too-deep": ("嵌套过深：超过 {limit} 层", "政策文件通常不到 12 层：请检查缩进"),
    "too-many-values": (
        "文件的值过多：展开别名后超过 {limit} 个",
        "最大的政策文件约 2,000 个值：请检查别名（*）的用法",
    ),
    "too-many-aliases": ("别名（*）过多：超过 {limit} 个", "请把内容直接写出来"),
    "recursive-alias": ("别名“*{name}”指向包含它自己的内容", "请把内容直接写出来"),
    "alias-without-anchor": ("别名“*{name}”没有对应的锚点“&{name}”", "请先用“&{name}”标出要引用的内容，或直接写出内容"),
    "key-not-text": ("键必须是普通文字", "请把键写成“名称: 值”的形式"),
    "key-anchor": ("键不能带锚点（&）", "请去掉键上的“&”"),
    "merge-key": ("不支持合并键（<<）", "请把键逐一写出"),
    "duplicate-key": ("重复的键“{key}”（第 {first} 行已写过）", "后写的会悄悄覆盖前面的：请删除其中一个"),
    "yaml-tag": ("不支持的“YAML”标签“{tag}”", "请去掉“!”开头的标签，直接写值"),
    "number-too-long": ("数字过长（{length} 个字符，最多 {limit} 个）", "请直接写出这个数字"),
    "number-format": ("数字“{text}”不是普通的十进制写法", "请写成普通的十进制数，例如 1000 或 0.15"),
    "exponent-too-large": ("数字“{text}”的指数过大（最多 {limit}）", "请直接写出这个数字"),
    # the shape of the file (compiler/shapes.py, from the vocabulary)
    "not-a-mapping": (
        "文件顶层必须是“键: 值”的映射",
        "请从一个已有地区的文件复制结构（region、name、documents、schemes……）",
    ),
    "unknown-key": ("有未知的键“{key}”", "这里可以写的键：{allowed}"),
    "missing-key": ("缺少“{key}”（{word}）", "请加上“{key}: …”"),
    "wrong-type": ("这里应当是{want}，而不是{got}", "请写成{want}{example}"),
    "not-in-list": ("“{value}”不是可以写的值", "只能写：{allowed}"),
    "bad-format": ("“{value}”写法不对", "应当写成：{format}"),
    "negative": ("是 {value}：数字不能是负数", "请按来源写出金额或数量（0 或更大）"),
    "rate-above-one": ("是 {value}，但它是比例：不能大于 1", "比例写成 0 到 1 之间的小数（0.15 表示 15%）"),
    "year-out-of-range": ("年份 {value} 不在 {first} 到 {last} 之间", "请按来源写出年份"),
    "empty": ("不能为空", "请至少写一项，或删除这个键"),
    "repeated-item": ("“{value}”写了两次", "请删除重复的一项"),
    "one-of": ("必须有且只有“{keys}”其中之一（现在{count}）", "请只保留其中一个"),
    "not-a-date": ("“{value}”不是日历上真实存在的日期", "请按来源写出日期（年-月-日）"),
    # every figure cited, every unknown said (compiler/citations.py)
    "needs-cite": ("这里写了数字（{figure}），但没有注明出处", "请在同一层加上“cite: <文件编号>/<条款编号>”"),
    "needs-note": (
        "这里是“null”，但没有“{note}”说明来源未规定什么",
        "请加上“{note}: ……”，用中文写明来源怎么说（或没有说）",
    ),
    "cite-unknown-document": (
        "出处“{cite}”：{where}里没有文件“{doc}”",
        "请先在“documents”里声明这份文件，或改成已声明的文件编号",
    ),
    "cite-unknown-clause": ("出处“{cite}”：文件“{doc}”没有条款“{clause}”", "它的条款：{clauses}"),
    "document-declared-twice": ("文件编号“{doc}”已在“{other}”里声明过", "请换一个编号，或删除重复的声明"),
    "document-self": ("文件“{doc}”在“{relation}”里写了它自己", "请删除这一项"),
    "document-unknown": (
        "文件“{doc}”的“{relation}”写的“{other}”在任何政策文件里都没有声明",
        "请改成已声明的文件编号，或先声明它",
    ),
    "document-never-cited": (
        "文件“{doc}”从未被引用，也没有别的文件依据它或取代它",
        "请在它规定的数字旁引用它（“cite”），或删除它",
    ),
    "region-not-file-name": (
        "“region”是“{value}”，但文件名是“{stem}.yaml”",
        "“region”必须和不带“.yaml”的文件名相同：写“region: {stem}”",
    ),
    # the rules of one scheme (compiler/checks.py)
    "unknown-group": ("“{value}”不是本险种的人员类别", "本险种的人员类别：{known}，或“*”（其余所有人员）"),
    "unknown-facility": ("“{value}”不是本险种的医疗机构级别", "本险种的医疗机构级别：{known}，或“*”（其余所有级别）"),
    "member-twice": ("人员类别“{value}”声明了两次", "请删除其中一个，或换一个编号"),
    "last-member-has-when": (
        "最后一个人员类别“{value}”写了适用条件",
        "最后一类接住前面各类都不符合的人：请删去它的“when”“when_any”",
    ),
    "member-unreachable": (
        "人员类别“{value}”没有适用条件，它后面的类别永远匹配不到",
        "请给它加上“when”或“when_any”，或把它移到最后",
    ),
    "not-a-day-of-every-year": ("“{value}”不是每年都有的日期", "请写成月-日，例如 01-01"),
    "versions-order": ("版本必须从旧到新排列，但 {start} 排在 {previous} 之后", "请按起始日期从旧到新排列版本"),
    "versions-same-start": ("两个版本都从 {start} 开始", "请核对起始日期，或把两个版本合成一个"),
    "undated-after-dated": (
        "没有日期的版本排在 {previous} 的版本之后",
        "没有日期的版本要排在所有有日期的版本之前；若来源显示它在某日已经施行，写“applies_from: 年-月-日”",
    ),
    "applies-from-with-date": (
        "这个版本已有起始日期 {start}，不能再写“applies_from”",
        "“applies_from”只用于来源没有给出起始日期的版本（“from: null”）",
    ),
    "from-year-with-date": (
        "这个版本已有起始日期，不能再写“from_year”",
        "“from_year”只用于没有日期的版本（“from: null”）",
    ),
    "bands-mixed-rates": (
        "同一组分段的比例写法不一：前面写的是“{first}”，这里写成了“{here}”",
        "请都写“fund_rate”（基金支付比例）或都写“patient_rate”（个人负担比例）",
    ),
    "open-band-last": ("“upto: null”（没有上限）不是最后一段：它后面的段永远用不上", "请把没有上限的一段放在最后"),
    "bands-ascending": ("分段必须递增：“upto: {upto}”没有超过{previous}", "请按来源核对各段的上限，从小到大排列"),
    # figures that contradict each other (compiler/contradictions.py)
    "no-basis": (
        "{what}没有写明计算口径（“basis”）",
        "请写“basis: admission”（每次住院）、“basis: year”（每年）或“basis: visit”（每次就诊）",
    ),
    "basis-open-not-cap": (
        "{what}写了“basis: null”，但只有封顶线可以不写明口径",
        "请按来源写“admission”“year”或“visit”",
    ),
    "cap-below-deductible": (
        "封顶线 {cap} 比同一就医类型的起付线 {deductible}（第 {other} 行）还低",
        "封顶线是基金最多支付的金额，不会低于个人先付的起付线：请按来源核对这两个数字",
    ),
    "band-below-deductible": (
        "这一段到 {upto} 元为止，没有超过起付线 {deductible}（第 {other} 行），却写了基金支付 {rate}",
        "起付线以下的费用全部由个人负担：请按来源核对这一段的上限或比例",
    ),
    "per-case-one-band": (
        "结算方式是“{method}”（按每例的结算标准支付），只用一个基金支付比例；这里有 {count} 段",
        "请只写一段，且“upto: null”",
    ),
    "above-cap-without-cap": (
        "{layer}支付封顶线以上的费用（“base: above_cap”），但这一就医类型没有写封顶线",
        "来源没有给出封顶线时，请写“cap: {{value: null, note: …}}”",
    ),
    "care-incomplete": ("就医类型“{care}”合并到这个版本为止仍没有{missing}", "请在它第一次出现的版本里写上{missing}"),
    # glossary.yaml and synonyms.yaml (compiler/terms.py)
    "not-chinese": ("“{value}”里没有汉字", "请用中文书写"),
    "short-not-one-line": ("简短说明写成了多行", "简短说明只写一行"),
    "repeated-entry": ("“{value}”与第 {first} 行的条目重复", "请合并这两条，或删除其中一条"),
    "synonym-is-listed": ("“{value}”本身就是清单里列出的名称", "不需要为它写同义词：请删除这一条"),
    "synonym-unlisted": (
        "“{value}”不是任何地区异地就医急救病种清单（“remote.*.conditions.items”）里列出的名称",
        "请写清单里列出的名称",
    ),
    # the whole build (compiler/policies.py)
    "no-policy-files": ("找不到政策文件（*.yaml）", "请把地区文件放在这个文件夹里"),
    "too-complex": ("政策文件过于复杂，无法处理", "请检查文件的嵌套和别名"),
    "internal-error": ("编译器内部错误（{kind}）", "这是编译器的问题，不是您的文件的问题：请报告它（附上这个文件）"),
}


def words(code: str, **values) -> tuple[str, str]:
    """(what is wrong, what to write instead) of a code, with its values filled in."""
    problem, fix = CODES[code]
    return problem.format(**values), fix.format(**values)


def quoted(items, limit: int = 12) -> str:
    """A readable list of at most `limit` names, each in quotation marks (a message never grows
    with the file); `items` may hold (name, words) pairs: “name”（words）."""
    items = list(items)
    shown = []
    for item in items[:limit]:
        name, said = item if isinstance(item, tuple) else (item, None)
        shown.append(f"“{str(name)[:40]}”" + (f"（{said}）" if said else ""))
    return "、".join(shown) + (f" 等 {len(items)} 个" if len(items) > limit else "")
