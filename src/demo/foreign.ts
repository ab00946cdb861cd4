/**
 * Short generated texts for works in languages other than English: titles, summaries, notes
 * and chapter text built from small word lists, in each language's own script and
 * punctuation (— dialogue in Spanish and Russian, « » in French, „ “ in German, 「」 in
 * Japanese, “ ” in Chinese). Simple, but grammatical enough to read as real prose.
 */
import type { Random } from "./random.ts";
import type { Person } from "./template.ts";

export type ForeignLanguage = "es" | "fr" | "de" | "ru" | "ja" | "zh";

interface LanguagePack {
  /** Subject for a person: a pronoun or the name. */
  subject(p: Person, sentenceStart: boolean): string;
  /** The person's name as a subject (with the topic particle in Japanese). */
  named?: (p: Person) => string;
  verbPhrases: readonly string[];
  /** Opening adverbials; languages with verb-second order invert after them. */
  openers: readonly string[];
  descriptions: readonly string[];
  lines: readonly string[];
  dialogue(line: string, speaker: Person, question: boolean): string;
  sentence(opener: string | null, subject: string, vp: string, p: Person): string;
  titleNouns: readonly string[];
  titlePatterns: readonly string[];
  fixedTitles: readonly string[];
  summaryTails: readonly string[];
  notes: readonly string[];
  chapterWord: (n: number) => string;
  /** Joiner between sentences in a paragraph. */
  space: string;
  /** Approximate words per sentence, for length targets. */
  wordsPerSentence: number;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Russian past tense agrees with the subject: открыл → открыла / открыли. */
function ruAgree(vp: string, g: Person["gender"]): string {
  if (g === "m") return vp;
  return vp.replace(/(\S+?)л(ся)?(?=\s|$)/u, (_m, stem: string, refl: string | undefined) => {
    if (g === "f") return refl ? `${stem}лась` : `${stem}ла`;
    return refl ? `${stem}лись` : `${stem}ли`;
  });
}

const PACKS: Record<ForeignLanguage, LanguagePack> = {
  es: {
    subject: (p) => (p.gender === "f" ? "ella" : p.gender === "m" ? "él" : p.name),
    verbPhrases: [
      "abrió la puerta",
      "miró por la ventana",
      "recordó aquella noche",
      "guardó la carta en el bolsillo",
      "encendió la lámpara",
      "esperó en silencio",
      "cerró los ojos",
      "sonrió sin querer",
      "tomó la llave",
      "escuchó el mar",
      "dejó la taza sobre la mesa",
      "no dijo nada",
      "caminó hasta el puerto",
      "pensó en el invierno",
    ],
    openers: [
      "Esa noche,",
      "Al amanecer,",
      "Sin decir nada,",
      "Más tarde,",
      "Por un momento,",
      "Bajo la lluvia,",
    ],
    descriptions: [
      "El viento soplaba desde el mar.",
      "La casa estaba en silencio.",
      "Llovía sobre los tejados del pueblo.",
      "La luz del faro barría el agua oscura.",
    ],
    lines: [
      "¿Dónde estabas?",
      "No te vayas.",
      "Lo siento mucho.",
      "Te estaba esperando.",
      "¿Confías en mí?",
      "Todo va a salir bien.",
      "No era un secreto.",
      "Quédate conmigo.",
    ],
    dialogue: (line, p, q) => `—${line.replace(/\.$/, "")} —${q ? "preguntó" : "dijo"} ${p.name}.`,
    sentence: (o, s, vp) => (o ? `${o} ${s} ${vp}.` : `${cap(s)} ${vp}.`),
    titleNouns: [
      "la sal",
      "las estrellas",
      "el faro",
      "la marea",
      "el invierno",
      "la ceniza",
      "las horas",
      "el silencio",
      "la luz",
      "el camino",
    ],
    titlePatterns: ["{N} y {N}", "Lo que {N} recordaba", "Bajo {N}", "Después de {N}", "{N}"],
    fixedTitles: [
      "El peso de las horas pequeñas",
      "Sal y luz de estrellas",
      "Canción para el guardián del faro",
    ],
    summaryTails: [
      "Una historia sobre lo que queda.",
      "Nadie dijo que sería fácil.",
      "Un fic corto, escrito de madrugada.",
    ],
    notes: [
      "¡Gracias por leer!",
      "Los comentarios siempre son bienvenidos.",
      "Mi primer fic en español, sean amables.",
      "Sin beta, perdón por los errores.",
    ],
    chapterWord: (n) => `Capítulo ${n}`,
    space: " ",
    wordsPerSentence: 7,
  },
  fr: {
    subject: (p) => (p.gender === "f" ? "elle" : p.gender === "m" ? "il" : p.name),
    verbPhrases: [
      "ouvrit la porte",
      "regarda par la fenêtre",
      "se souvint de cette nuit-là",
      "rangea la lettre dans sa poche",
      "alluma la lampe",
      "attendit en silence",
      "ferma les yeux",
      "sourit doucement",
      "prit la clé",
      "écouta la mer",
      "posa la tasse sur la table",
      "ne dit rien",
      "marcha jusqu'au port",
      "pensa à l'hiver",
    ],
    openers: [
      "Ce soir-là,",
      "À l'aube,",
      "Sans un mot,",
      "Plus tard,",
      "Un instant,",
      "Sous la pluie,",
    ],
    descriptions: [
      "Le vent soufflait depuis la mer.",
      "La maison était silencieuse.",
      "Il pleuvait sur les toits du village.",
      "La lumière du phare balayait l'eau noire.",
    ],
    lines: [
      "Où étais-tu ?",
      "Ne pars pas.",
      "Pardon.",
      "Je t'attendais.",
      "Tu me fais confiance ?",
      "Tout ira bien.",
      "Ce n'était pas un secret.",
      "Reste avec moi.",
    ],
    dialogue: (line, p, q) =>
      q ? `« ${line} » demanda ${p.name}.` : `« ${line.replace(/\.$/, "")} », dit ${p.name}.`,
    sentence: (o, s, vp) => (o ? `${o} ${s} ${vp}.` : `${cap(s)} ${vp}.`),
    titleNouns: [
      "le sel",
      "les étoiles",
      "le phare",
      "la marée",
      "l'hiver",
      "la cendre",
      "les heures",
      "le silence",
      "la lumière",
      "le chemin",
    ],
    titlePatterns: ["{N} et {N}", "Sous {N}", "Après {N}", "{N}"],
    fixedTitles: [
      "Le poids des petites heures",
      "Sel et lumière d'étoiles",
      "Chanson pour la gardienne du phare",
    ],
    summaryTails: [
      "Une histoire de ce qui reste.",
      "Personne n'a dit que ce serait facile.",
      "Un petit texte écrit à trois heures du matin.",
    ],
    notes: [
      "Merci d'avoir lu !",
      "Les commentaires sont toujours appréciés.",
      "Pas de bêta, désolée pour les fautes.",
      "Premier texte sur ce fandom, soyez indulgents.",
    ],
    chapterWord: (n) => `Chapitre ${n}`,
    space: " ",
    wordsPerSentence: 7,
  },
  de: {
    subject: (p, start) =>
      p.gender === "f"
        ? start
          ? "Sie"
          : "sie"
        : p.gender === "m"
          ? start
            ? "Er"
            : "er"
          : p.name,
    verbPhrases: [
      "öffnete die Tür",
      "sah aus dem Fenster",
      "erinnerte sich an jene Nacht",
      "steckte den Brief in die Tasche",
      "zündete die Lampe an",
      "wartete schweigend",
      "schloss die Augen",
      "lächelte leise",
      "nahm den Schlüssel",
      "hörte dem Meer zu",
      "stellte die Tasse auf den Tisch",
      "sagte nichts",
      "ging hinunter zum Hafen",
      "dachte an den Winter",
    ],
    openers: [
      "In dieser Nacht",
      "Im Morgengrauen",
      "Später",
      "Ohne ein Wort",
      "Einen Moment lang",
      "Im Regen",
    ],
    descriptions: [
      "Der Wind kam vom Meer.",
      "Im Haus war es still.",
      "Es regnete auf die Dächer des Dorfes.",
      "Das Licht des Leuchtturms glitt über das dunkle Wasser.",
    ],
    lines: [
      "Wo warst du?",
      "Geh nicht.",
      "Es tut mir leid.",
      "Ich habe auf dich gewartet.",
      "Vertraust du mir?",
      "Alles wird gut.",
      "Es war kein Geheimnis.",
      "Bleib bei mir.",
    ],
    dialogue: (line, p, q) => `„${line.replace(/\.$/, "")}“, ${q ? "fragte" : "sagte"} ${p.name}.`,
    // Verb-second: after an opener the finite verb comes before the subject.
    sentence: (o, s, vp) => {
      if (!o) return `${s} ${vp}.`;
      const space = vp.indexOf(" ");
      const verb = space < 0 ? vp : vp.slice(0, space);
      const rest = space < 0 ? "" : vp.slice(space);
      return `${o} ${verb} ${s}${rest}.`;
    },
    titleNouns: [
      "Salz",
      "Sternenlicht",
      "der Leuchtturm",
      "die Flut",
      "der Winter",
      "Asche",
      "die Stunden",
      "Stille",
      "das Licht",
      "der Weg",
    ],
    titlePatterns: ["{N} und {N}", "Was {N} wusste", "{N}"],
    fixedTitles: [
      "Das Gewicht kleiner Stunden",
      "Salz und Sternenlicht",
      "Lied für die Leuchtturmwärterin",
    ],
    summaryTails: [
      "Eine Geschichte über das, was bleibt.",
      "Niemand hat gesagt, dass es leicht wird.",
      "Ein kurzer Text, um drei Uhr nachts geschrieben.",
    ],
    notes: [
      "Danke fürs Lesen!",
      "Über Kommentare freue ich mich immer.",
      "Nicht gebetat, alle Fehler gehören mir.",
      "Mein erster Text in diesem Fandom.",
    ],
    chapterWord: (n) => `Kapitel ${n}`,
    space: " ",
    wordsPerSentence: 7,
  },
  ru: {
    subject: (p, start) => {
      const base = p.gender === "f" ? "она" : p.gender === "m" ? "он" : "они";
      return start ? cap(base) : base;
    },
    verbPhrases: [
      "открыл дверь",
      "посмотрел в окно",
      "вспомнил ту ночь",
      "положил письмо в карман",
      "включил лампу",
      "долго ждал",
      "закрыл глаза",
      "улыбнулся",
      "взял ключ",
      "слушал море",
      "поставил чашку на стол",
      "ничего не сказал",
      "спустился к гавани",
      "думал о зиме",
    ],
    openers: ["Той ночью", "На рассвете", "Позже", "Молча", "Под дождём", "На мгновение"],
    descriptions: [
      "Ветер дул с моря.",
      "В доме было тихо.",
      "Дождь стучал по крышам.",
      "Свет маяка скользил по тёмной воде.",
    ],
    lines: [
      "Где ты?",
      "Не уходи.",
      "Прости меня.",
      "Я здесь.",
      "Ты мне доверяешь?",
      "Всё будет хорошо.",
      "Это не было секретом.",
      "Останься со мной.",
    ],
    dialogue: (line, p, q) => {
      const verb = ruAgree(q ? "спросил" : "сказал", p.gender);
      return `— ${line.replace(/\.$/, "")} — ${verb} ${p.name}.`;
    },
    sentence: (o, s, vp, p) => {
      const v = ruAgree(vp, p.gender);
      return o ? `${o} ${s} ${v}.` : `${s} ${v}.`;
    },
    titleNouns: [
      "соль",
      "звёзды",
      "маяк",
      "прилив",
      "зима",
      "пепел",
      "мёд",
      "тишина",
      "свет",
      "дорога",
    ],
    titlePatterns: ["{N} и {N}", "{N}"],
    fixedTitles: ["Тяжесть маленьких часов", "Соль и звёзды", "Свет над морем", "Дорога домой"],
    summaryTails: [
      "История о том, что остаётся.",
      "Никто не обещал, что будет легко.",
      "Короткий текст, написанный в три часа ночи.",
    ],
    notes: [
      "Спасибо за чтение!",
      "Буду рада отзывам.",
      "Без беты, все ошибки мои.",
      "Мой первый фик по этому фандому.",
    ],
    chapterWord: (n) => `Глава ${n}`,
    space: " ",
    wordsPerSentence: 6,
  },
  ja: {
    subject: (p) => (p.gender === "f" ? "彼女は" : p.gender === "m" ? "彼は" : `${p.name}は`),
    named: (p) => `${p.name}は`,
    verbPhrases: [
      "ドアを開けた",
      "窓の外を見た",
      "あの夜のことを思い出した",
      "手紙をポケットにしまった",
      "ランプに火を灯した",
      "黙って待っていた",
      "目を閉じた",
      "小さく笑った",
      "鍵を手に取った",
      "波の音を聞いていた",
      "カップを机に置いた",
      "何も言わなかった",
      "港まで歩いた",
      "冬のことを考えた",
    ],
    openers: ["その夜、", "夜明け前に、", "しばらくして、", "雨の中で、", "一瞬、", "静かに、"],
    descriptions: [
      "外は雨が降っていた。",
      "灯台の光が海を照らしていた。",
      "風が窓を揺らした。",
      "部屋は静かだった。",
    ],
    lines: [
      "どこにいたの？",
      "行かないで。",
      "ごめんなさい。",
      "ずっと待ってた。",
      "私を信じてる？",
      "大丈夫だよ。",
      "秘密じゃなかった。",
      "そばにいて。",
    ],
    dialogue: (line, p, q) =>
      `「${line.replace(/。$/, "")}」と${p.name}は${q ? "尋ねた" : "言った"}。`,
    sentence: (o, s, vp) => `${o ?? ""}${s}${vp}。`,
    titleNouns: ["塩", "星", "灯台", "潮", "冬", "灰", "光", "手紙", "海", "夜"],
    titlePatterns: ["{N}と{N}", "{N}の{N}", "{N}"],
    fixedTitles: [
      "星の降る夜に",
      "塩と星明かり",
      "灯台守の冬",
      "小さな時間の重さ",
      "潮騒",
      "約束の港",
      "夜明けの手紙",
      "雨のあとで",
    ],
    summaryTails: [
      "残されたものについての話。",
      "簡単だなんて誰も言わなかった。",
      "深夜三時に書いた短い話です。",
    ],
    notes: [
      "読んでくださってありがとうございます！",
      "感想をいただけると嬉しいです。",
      "誤字脱字があればすみません。",
    ],
    chapterWord: (n) => `第${n}章`,
    space: "",
    wordsPerSentence: 8,
  },
  zh: {
    subject: (p) => (p.gender === "f" ? "她" : p.gender === "m" ? "他" : p.name),
    verbPhrases: [
      "打开了门",
      "望向窗外",
      "想起了那个夜晚",
      "把信放进口袋",
      "点亮了灯",
      "默默地等待着",
      "闭上了眼睛",
      "轻轻笑了",
      "拿起了钥匙",
      "听着海浪的声音",
      "把杯子放在桌上",
      "什么也没说",
      "一直走到港口",
      "想起了冬天",
    ],
    openers: ["那天夜里，", "黎明之前，", "过了很久，", "在雨中，", "一瞬间，", "后来，"],
    descriptions: ["窗外下着雨。", "灯塔的光照亮了海面。", "风吹动了窗户。", "房间里很安静。"],
    lines: [
      "你去哪儿了？",
      "别走。",
      "对不起。",
      "我一直在等你。",
      "你相信我吗？",
      "没事的。",
      "这不是秘密。",
      "留下来陪我。",
    ],
    dialogue: (line, p, q) => `“${line}”${p.name}${q ? "问" : "说"}。`,
    sentence: (o, s, vp) => `${o ?? ""}${s}${vp}。`,
    titleNouns: ["盐", "星光", "灯塔", "潮汐", "冬天", "灰烬", "光", "信", "海", "夜"],
    titlePatterns: ["{N}与{N}", "{N}的{N}", "{N}"],
    fixedTitles: ["灯塔守望者", "盐与星光", "小时光的重量", "雨后", "归途", "潮汐之间"],
    summaryTails: ["一个关于留下来的故事。", "没有人说过会很容易。", "凌晨三点写的短篇。"],
    notes: ["谢谢阅读！", "欢迎留言评论。", "没有校对，错误请见谅。"],
    chapterWord: (n) => `第${n}章`,
    space: "",
    wordsPerSentence: 8,
  },
};

export function isForeignLanguage(code: string): code is ForeignLanguage {
  return Object.hasOwn(PACKS, code);
}

function sentence(r: Random, pack: LanguagePack, p: Person): string {
  if (r.chance(0.15)) return r.pick(pack.descriptions);
  const opener = r.chance(0.35) ? r.pick(pack.openers) : null;
  const subject = r.chance(0.3) ? (pack.named?.(p) ?? p.name) : pack.subject(p, opener === null);
  return pack.sentence(opener, subject, r.pick(pack.verbPhrases), p);
}

function paragraph(r: Random, pack: LanguagePack, a: Person, b: Person): string {
  if (r.chance(0.3)) {
    const line = r.pick(pack.lines);
    const q = line.endsWith("?") || line.endsWith("？");
    return pack.dialogue(line, r.chance(0.5) ? a : b, q);
  }
  const n = r.int(2, 5);
  let out = "";
  for (let i = 0; i < n; i++) {
    let next = sentence(r, pack, r.chance(0.6) ? a : b);
    // No sentence twice in one paragraph.
    if (out.includes(next)) next = sentence(r, pack, r.chance(0.5) ? a : b);
    if (out.includes(next)) continue;
    out += (out === "" ? "" : pack.space) + next;
  }
  return out;
}

export function foreignTitle(r: Random, lang: ForeignLanguage): string {
  const pack = PACKS[lang];
  if (r.chance(0.35)) return r.pick(pack.fixedTitles);
  const pattern = r.pick(pack.titlePatterns);
  let n = 0;
  const title = pattern.replace(/\{N\}/g, () => {
    n++;
    return r.pick(pack.titleNouns);
  });
  return n > 0 ? cap(title) : title;
}

export function foreignSummary(r: Random, lang: ForeignLanguage, a: Person, b: Person): string {
  const pack = PACKS[lang];
  const first = sentence(r, pack, a);
  return r.chance(0.6)
    ? first + pack.space + r.pick(pack.summaryTails)
    : first + pack.space + sentence(r, pack, b);
}

export function foreignNote(r: Random, lang: ForeignLanguage): string {
  return r.pick(PACKS[lang].notes);
}

export function foreignChapterTitle(r: Random, lang: ForeignLanguage, n: number): string {
  return r.chance(0.5) ? PACKS[lang].chapterWord(n) : foreignTitle(r, lang);
}

/** Chapter text of roughly `words` words (plain paragraphs separated by blank lines). */
export function foreignText(
  r: Random,
  lang: ForeignLanguage,
  a: Person,
  b: Person,
  words: number,
): string {
  const pack = PACKS[lang];
  const paras: string[] = [];
  let count = 0;
  while (count < words) {
    const p = paragraph(r, pack, a, b);
    paras.push(p);
    count += pack.wordsPerSentence * Math.max(1, countSentences(p));
  }
  return paras.join("\n\n");
}

function countSentences(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // . ? ! 。 ？ ！
    if (c === 46 || c === 63 || c === 33 || c === 0x3002 || c === 0xff1f || c === 0xff01) n++;
  }
  return n;
}

export function foreignSentence(r: Random, lang: ForeignLanguage, a: Person): string {
  return sentence(r, PACKS[lang], a);
}
