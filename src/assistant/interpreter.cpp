#include "assistant/interpreter.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>

#include "assistant/numbers.hpp"

namespace kompo::assistant {

namespace {

using detail::normalize_numbers;

constexpr double kBeatsPerBar = 4;

// ---- what was understood, and which words it used ---------------------------------------

class Reading {
  public:
    explicit Reading(std::string text) : text_(std::move(text)), used_(text_.size(), false) {}

    const std::string& text() const { return text_; }
    // Every match of `pattern` not yet used, marking each one used.
    std::vector<std::smatch> take_all(const std::regex& pattern) {
        std::vector<std::smatch> found;
        for (auto it = std::sregex_iterator(text_.begin(), text_.end(), pattern);
             it != std::sregex_iterator(); ++it) {
            const auto begin = static_cast<std::size_t>(it->position(0));
            if (std::any_of(used_.begin() + begin, used_.begin() + begin + it->length(0),
                            [](bool used) { return used; }))
                continue;
            std::fill(used_.begin() + begin, used_.begin() + begin + it->length(0), true);
            found.push_back(*it);
        }
        return found;
    }
    std::optional<std::smatch> take(const std::regex& pattern) {
        auto all = take_all(pattern);
        if (all.empty()) return std::nullopt;
        return all.front();
    }
    bool has(const std::regex& pattern) const { return std::regex_search(text_, pattern); }
    // Words no rule used.
    std::vector<std::string> leftover() const {
        std::string rest = text_;
        for (std::size_t i = 0; i < rest.size(); ++i) {
            if (used_[i]) rest[i] = ' ';
        }
        std::istringstream in(rest);
        std::vector<std::string> words;
        for (std::string word; in >> word;) words.push_back(word);
        return words;
    }

  private:
    std::string text_;
    std::vector<bool> used_;
};

std::regex rx(const char* text) {
    return std::regex(text, std::regex::ECMAScript | std::regex::optimize);
}

double number(const std::ssub_match& match) {
    return std::stod(match.str());
}

// Beats from a number in `unit` (beats, bars or seconds at `bpm`); bars count from 1 when
// `bar_start` ("bar 2" starts at beat 4).
double to_beats(double value, const std::string& unit, double bpm, bool bar_start) {
    if (unit.rfind("bar", 0) == 0 || unit.rfind("measure", 0) == 0)
        return (bar_start ? value - 1 : value) * kBeatsPerBar;
    if (unit == "ms" || unit.rfind("milli", 0) == 0) return value / 1000 * bpm / 60;
    if (unit == "s" || unit.rfind("sec", 0) == 0) return value * bpm / 60;
    if (unit.rfind("min", 0) == 0) return value * bpm;
    return value;
}

double to_seconds(double value, const std::string& unit) {
    if (unit == "ms" || unit.rfind("milli", 0) == 0) return value / 1000;
    if (unit.rfind("min", 0) == 0) return value * 60;
    return value;
}

double round3(double value) {
    return std::round(value * 1000) / 1000;
}

// ---- fuzzy names -------------------------------------------------------------------------

const std::set<std::string>& generic_words() {
    static const std::set<std::string> words = {
        "the",     "a",      "an",    "my",    "our",       "this",  "that",  "of",
        "picture", "pic",    "photo", "image", "still",     "clip",  "video", "footage",
        "shot",    "file",   "song",  "track", "music",     "audio", "sound", "soundtrack",
        "source",  "medium", "one",   "movie", "recording", "jpg",   "jpeg",  "png",
        "mp4",     "mov",    "webm",  "mkv",   "flac",      "wav",   "mp3",   "m4a",
        "ogg",     "gif",    "tiff",  "webp",  "aac",       "opus"};
    return words;
}

std::string kind_of_generic(const std::string& word) {
    if (word == "picture" || word == "pic" || word == "photo" || word == "image" || word == "still")
        return "image";
    if (word == "song" || word == "track" || word == "music" || word == "audio" ||
        word == "sound" || word == "soundtrack")
        return "audio";
    if (word == "clip" || word == "video" || word == "footage" || word == "shot" ||
        word == "movie" || word == "recording")
        return "video";
    return "";
}

std::vector<std::string> name_words(const std::string& name, std::string* kind = nullptr) {
    std::string spaced;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        spaced += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : ' ';
    }
    std::istringstream in(spaced);
    std::vector<std::string> words;
    for (std::string word; in >> word;) {
        if (generic_words().count(word)) {
            if (kind && kind->empty()) *kind = kind_of_generic(word);
            continue;
        }
        words.push_back(word);
    }
    return words;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

double word_similarity(const std::string& a, const std::string& b) {
    if (a == b) return 1;
    if (a.size() >= 3 && b.size() >= 3 && (a.rfind(b, 0) == 0 || b.rfind(a, 0) == 0)) return 0.9;
    const double longest = static_cast<double>(std::max(a.size(), b.size()));
    return 1 - static_cast<double>(edit_distance(a, b)) / longest;
}

// How well `wanted` words are covered by `have` words, 0..1.
double name_score(const std::vector<std::string>& wanted, const std::vector<std::string>& have) {
    if (wanted.empty() || have.empty()) return 0;
    double sum = 0;
    for (const auto& w : wanted) {
        double best = 0;
        for (const auto& h : have) best = std::max(best, word_similarity(w, h));
        sum += best;
    }
    double joined = word_similarity(
        [&] {
            std::string s;
            for (const auto& w : wanted) s += w;
            return s;
        }(),
        [&] {
            std::string s;
            for (const auto& h : have) s += h;
            return s;
        }());
    return std::max(sum / static_cast<double>(wanted.size()), joined);
}

// Letters and digits of the whole name, lower case, extension dropped.
std::string squashed_words(const std::string& name) {
    const auto dot = name.rfind('.');
    const auto stem =
        dot != std::string::npos && name.size() - dot <= 5 ? name.substr(0, dot) : name;
    std::string out;
    for (char c : stem) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    }
    return out;
}

// ---- the rules ------------------------------------------------------------------------

// One capture group of a number and its unit: "16 beats", "2 bars", "1.5 s".
constexpr const char* kNumber = R"((\d+(?:\.\d+)?))";

struct Edits {
    Json list = Json::array();
    void add(Json edit) { list.push_back(std::move(edit)); }
};

std::optional<ToolCall> timing_question(Reading& reading, const InterpreterContext& context) {
    static const std::regex question = rx(
        R"(\b(how (long|many|much)|what time|when (does|do|is|will)|duration|length of|how far)\b)");
    if (!reading.has(question)) return std::nullopt;
    reading.take_all(question);
    Json arguments = Json::object();
    static const std::regex amount = rx(
        R"((\d+(?:\.\d+)?) (beats?|bars?|measures?|seconds?|secs?|s|ms|milliseconds?|minutes?|mins?)\b)");
    static const std::regex tempo =
        rx(R"((?:at|@|with|of) (\d+(?:\.\d+)?) bpm\b|(\d+(?:\.\d+)?) bpm\b)");
    static const std::regex beat_time = rx(R"(\b(beat|bar) (\d+(?:\.\d+)?)\b)");
    if (auto t = reading.take(tempo))
        arguments["bpm"] = number((*t)[1].matched ? (*t)[1] : (*t)[2]);
    if (auto a = reading.take(amount)) {
        const auto unit = (*a)[2].str();
        const double value = number((*a)[1]);
        if (unit.rfind("beat", 0) == 0)
            arguments["beats"] = value;
        else if (unit.rfind("bar", 0) == 0 || unit.rfind("measure", 0) == 0)
            arguments["bars"] = value;
        else
            arguments["seconds"] = to_seconds(value, unit);
    } else if (auto b = reading.take(beat_time)) {
        const double value = number((*b)[2]);
        arguments["beats"] = (*b)[1] == "bar" ? (value - 1) * kBeatsPerBar : value;
    } else {
        return std::nullopt;
    }
    if (!arguments.contains("bpm") && !context.komposition_id.empty())
        arguments["id"] = context.komposition_id;
    reading.take_all(rx(
        R"(\b(is|are|does|do|it|take|takes|last|lasts|in|at|fit|fits|into|start|starts|play|plays|will|the|a|of|there|many|long|beats?|bars?|seconds?|come|fall|falls|happen|begin|begins|get|to)\b)"));
    return ToolCall{"explain_timing", arguments};
}

// "what is the tempo?", "how fast is it?": the open komposition's tempo, explained
// (explain_timing without an amount). A number in the request makes it an edit instead
// ("what if the tempo was 90" is not a question about the tempo it has).
std::optional<ToolCall> tempo_question(Reading& reading, const InterpreterContext& context) {
    static const std::regex asked = rx(
        R"(\b(what(?: is|'s|s)?|which|how fast(?: is)?)\b(?: (?:is|the|this|my|its|of|current|video's|song's|it|komposition|video|song))* (tempo|bpm|speed)\b|\bhow fast\b)");
    static const std::regex any_number = rx(R"(\d)");
    if (context.komposition_id.empty() || !reading.has(asked) || reading.has(any_number)) {
        return std::nullopt;
    }
    reading.take_all(asked);
    reading.take_all(rx(R"(\b(is|it|the|this|of|current|video|song|komposition|now|right)\b)"));
    return ToolCall{"explain_timing", {{"id", context.komposition_id}}};
}

void tempo(Reading& reading, Edits& edits) {
    static const std::regex bpm_first = rx(
        R"(\b(?:tempo|bpm|speed)(?: of the (?:song|video|komposition|track))?(?: up| down)? (?:to |at |of |is |should be |=)?(\d+(?:\.\d+)?)(?: bpm)?\b)");
    static const std::regex bpm_after = rx(R"(\b(\d+(?:\.\d+)?) bpm\b)");
    for (const auto& pattern : {bpm_first, bpm_after}) {
        if (auto m = reading.take(pattern)) {
            edits.add({{"op", "set_bpm"}, {"bpm", number((*m)[1])}});
            return;
        }
    }
}

void size_and_fit(Reading& reading, Edits& edits) {
    static const std::regex dims = rx(R"(\b(\d{2,4}) ?(?:x|by|\*) ?(\d{2,4})\b)");
    static const std::regex named = rx(
        R"(\b(portrait|vertical|upright|tall|landscape|horizontal|widescreen|wide|square|4 k|4k|uhd|1080p|720p|full hd|hd)\b(?: (?:mode|format|orientation|video|size))?)");
    std::optional<std::pair<int, int>> size;
    if (auto m = reading.take(dims)) size = {std::stoi((*m)[1]), std::stoi((*m)[2])};
    if (auto m = reading.take(named); m && !size) {
        const auto word = (*m)[1].str();
        if (word == "portrait" || word == "vertical" || word == "upright" || word == "tall")
            size = {1080, 1920};
        else if (word == "square")
            size = {1080, 1080};
        else if (word == "4 k" || word == "4k" || word == "uhd")
            size = {3840, 2160};
        else if (word == "720p" || word == "hd")
            size = {1280, 720};
        else
            size = {1920, 1080};
    }
    if (size) edits.add({{"op", "set_size"}, {"width", size->first}, {"height", size->second}});

    static const std::regex letterbox = rx(
        R"(\b(letterbox(?:ed|ing)?|pillarbox(?:ed)?|black bars|(?:do not|don't|dont|no|without) crop(?:ping)?|fit (?:it )?inside|show the whole (?:picture|frame|image))\b)");
    static const std::regex crop = rx(
        R"(\b((?:zoom and |zoom to )?crop(?:ped|ping)?(?: (?:to|and) fill| to fit| the (?:centre|center))?|fill(?: the (?:frame|screen))?|zoom to fill)\b)");
    static const std::regex no_bars =
        rx(R"(\b(?:without|no|get rid of the|remove the) black bars\b)");
    if (reading.take(no_bars)) {
        edits.add({{"op", "set_fit"}, {"fit", "crop"}});
    } else if (reading.take(letterbox)) {
        edits.add({{"op", "set_fit"}, {"fit", "letterbox"}});
    } else if (reading.take(crop)) {
        edits.add({{"op", "set_fit"}, {"fit", "crop"}});
    }
}

int ordinal(const std::string& word, int count) {
    static const std::vector<std::string> names = {"first", "second",  "third",  "fourth", "fifth",
                                                   "sixth", "seventh", "eighth", "ninth",  "tenth"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (word == names[i]) return static_cast<int>(i) + 1;
    }
    if (word == "last") return count;
    if (word == "penultimate") return count - 1;
    return std::atoi(word.c_str());
}

void swap(Reading& reading, Edits& edits, int count) {
    constexpr const char* kOrd =
        R"((first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|penultimate|\d+)(?:st|nd|rd|th)?)";
    static const std::regex pair_first = rx(
        R"(\b(?:swap|switch|exchange|flip|reverse|trade) (?:the )?(first|last) 2(?: segments?| clips?| shots?| parts?| pieces?)?\b)");
    static const std::regex two = rx(
        (std::string(
             R"(\b(?:swap|switch|exchange|flip|trade)(?: places of)?(?: the)?(?: segments?| clips?| shots?| parts?)? )") +
         kOrd +
         R"((?: segment| clip| shot| part| one)? (?:and|with|for) (?:the )?(?:segment |clip |shot |part )?)" +
         kOrd + R"((?: segments?| clips?| shots?| parts?| ones?)?)")
            .c_str());
    if (auto m = reading.take(pair_first)) {
        const bool last = (*m)[1] == "last";
        edits.add({{"op", "swap_segments"},
                   {"first", last ? std::max(1, count - 1) : 1},
                   {"second", last ? std::max(2, count) : 2}});
    } else if (auto m2 = reading.take(two)) {
        edits.add({{"op", "swap_segments"},
                   {"first", std::max(1, ordinal((*m2)[1], count))},
                   {"second", std::max(1, ordinal((*m2)[2], count))}});
    }
}

void first_beat(Reading& reading, Edits& edits) {
    static const std::regex offset = rx(
        R"(\b(?:(?:the )?(?:first beat|first downbeat|downbeat)(?: of the (?:song|music|track|audio))?(?: is| falls| starts| comes| lands| hits| happens| sits)?(?: at| on| after)?|(?:starting )?offset(?: of the (?:song|music|track|audio))?(?: to| of| is| at)?|(?:the )?(?:song|music|track|audio|beat) (?:starts|begins|kicks in|comes in)(?: at| after)?|(?:cut|skip|trim|drop)(?: the)?(?: song's| songs| song| music's| music| track's)?(?: intro)?(?: of| by| at| to)?(?: the first)?|intro (?:is|lasts|of))(?: the)? (\d+(?:\.\d+)?) ?(s|sec|secs|seconds?|ms|milliseconds?)\b)");
    if (auto m = reading.take(offset)) {
        edits.add(
            {{"op", "set_first_beat"}, {"seconds", round3(to_seconds(number((*m)[1]), (*m)[2]))}});
        reading.take_all(rx(R"(\b(cut|the|song's|songs|song|intro|music|first|beat|is|at)\b)"));
    }
}

void frame_rate(Reading& reading, Edits& edits) {
    static const std::regex fps = rx(
        R"(\b(?:(?:frame ?rate|fps)(?: to| of| at| =)? (\d+(?:\.\d+)?)(?: fps)?|(\d+(?:\.\d+)?) (?:fps|frames per second|frames a second))\b)");
    if (auto m = reading.take(fps))
        edits.add({{"op", "set_framerate"}, {"fps", number((*m)[1].matched ? (*m)[1] : (*m)[2])}});
}

// "put the boat picture on beats 32 to 48", "use clip b from bar 2 to bar 4".
void placements(Reading& reading, Edits& edits, const InterpreterContext& context) {
    static const std::regex place = rx(
        (std::string(
             R"(\b(?:put|place|show|use|add|insert|set|display|have|play|drop|lay|i want|give me) (?:the |my |a )?(.+?) (?:on|at|for|from|over|during|between|in|into|onto|across) (?:the )?(beats?|bars?|measures?|seconds?|secs?|s) )") +
         kNumber +
         R"( (?:to|through|thru|until|till|and|up to)(?: the)?(?: beats?| bars?| measures?)? )" +
         kNumber + R"((?: (beats?|bars?|seconds?|secs?|s))?\b)")
            .c_str());
    static const std::regex place_seconds = rx(
        (std::string(
             R"(\b(?:put|place|show|use|add|insert|display|play) (?:the |my |a )?(.+?) (?:from|between) )") +
         kNumber + R"( ?(s|sec|secs|seconds) (?:to|and|until|till) )" + kNumber +
         R"( ?(?:s|sec|secs|seconds)\b)")
            .c_str());
    const double bpm = context.bpm > 0 ? context.bpm : 120;
    for (const auto& m : reading.take_all(place)) {
        auto unit = m[2].str();
        const bool bars = unit.rfind("bar", 0) == 0 || unit.rfind("measure", 0) == 0;
        const double from = to_beats(number(m[3]), unit, bpm, true);
        // "bars 2 to 4" ends after bar 4; "beats 32 to 48" ends at beat 48.
        const double to =
            bars ? number(m[4]) * kBeatsPerBar : to_beats(number(m[4]), unit, bpm, false);
        const auto phrase = m[1].str();
        auto name = match_name(phrase, context.sources);
        if (!name) name = match_name(phrase, context.media);
        edits.add({{"op", "place_source"},
                   {"source", name.value_or(phrase)},
                   {"from_beat", round3(from)},
                   {"to_beat", round3(to)}});
    }
    for (const auto& m : reading.take_all(place_seconds)) {
        const auto phrase = m[1].str();
        auto name = match_name(phrase, context.sources);
        if (!name) name = match_name(phrase, context.media);
        edits.add({{"op", "place_source"},
                   {"source", name.value_or(phrase)},
                   {"from_beat", round3(to_beats(number(m[2]), m[3], bpm, false))},
                   {"to_beat", round3(to_beats(number(m[4]), m[3], bpm, false))}});
    }
}

std::optional<ToolCall> render(Reading& reading, const InterpreterContext& context) {
    static const std::regex range = rx(
        (std::string(
             R"(\b(?:render|export|make|produce|create|build)(?: the video| a video| the komposition| it| only| just| a preview| preview)*(?: of| for)?(?: the)?(?: from)? (beats?|bars?|measures?) )") +
         kNumber + R"( (?:to|through|thru|until|till|and|up to)(?: beats?| bars?| measures?)? )" +
         kNumber + R"(\b)")
            .c_str());
    static const std::regex whole = rx(
        R"(\b(?:render|export)(?: it| the video| the komposition| the whole thing| everything| the whole video| the full video| my video| this)?(?: now| please)?\b)");
    ToolCall call{"start_render", {{"id", context.komposition_id}}};
    if (auto m = reading.take(range)) {
        const auto unit = (*m)[1].str();
        const bool bars = unit.rfind("bar", 0) == 0 || unit.rfind("measure", 0) == 0;
        call.arguments["from_beat"] = bars ? (number((*m)[2]) - 1) * kBeatsPerBar : number((*m)[2]);
        call.arguments["to_beat"] = bars ? number((*m)[3]) * kBeatsPerBar : number((*m)[3]);
        return call;
    }
    if (reading.take(whole)) return call;
    return std::nullopt;
}

std::optional<ToolCall> listing(Reading& reading) {
    static const std::regex kompositions = rx(
        R"(\b(?:list|show|what are|which|see|open)(?: me)?(?: all)?(?: of)? (?:my |the |our )?(?:kompositions|compositions|projects)\b)");
    static const std::regex media = rx(
        R"(\b(?:list|show|what|which|see)(?: me)?(?: all)?(?: of)?(?: are)? (?:my |the |our )?(?:media|media library|library|uploads|uploaded files|clips|sources|pictures|songs)\b)");
    if (reading.take(kompositions)) return ToolCall{"list_kompositions", Json::object()};
    if (reading.take(media)) return ToolCall{"list_media", Json::object()};
    return std::nullopt;
}

std::optional<ToolCall> render_control(Reading& reading) {
    static const std::regex status = rx(
        R"(\b(?:status|progress)(?: of)?(?: the)? render ([0-9a-z_-]{4,64})\b|\brender ([0-9a-z_-]{4,64}) status\b)");
    static const std::regex cancel =
        rx(R"(\b(?:cancel|stop|abort)(?: the)? render ([0-9a-z_-]{4,64})\b)");
    if (auto m = reading.take(cancel))
        return ToolCall{"cancel_render", {{"render_id", (*m)[1].str()}}};
    if (auto m = reading.take(status))
        return ToolCall{"render_status",
                        {{"render_id", ((*m)[1].matched ? (*m)[1] : (*m)[2]).str()}}};
    return std::nullopt;
}

// The words of `name` as they may be written: "city_night.mp4" is also "city night".
std::vector<std::string> spellings(const std::string& name) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::vector<std::string> found{lower};
    const auto dot = lower.rfind('.');
    std::string stem = dot == std::string::npos ? lower : lower.substr(0, dot);
    std::replace_if(
        stem.begin(), stem.end(), [](char c) { return c == '_' || c == '-'; }, ' ');
    if (!stem.empty() && stem != lower) found.push_back(stem);
    return found;
}

std::string escaped(const std::string& text) {
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    return std::regex_replace(text, special, R"(\$&)");
}

// "make a music video from song.flac with clip1.mp4 and clip2.mp4", "make a music video
// from my clips" (every clip, the only song), "... cut every 2 bars".
std::optional<ToolCall> music_video(Reading& reading, const InterpreterContext& context,
                                    std::optional<Refusal>& refusal) {
    static const std::regex ask = rx(
        R"(\b(?:make|create|build|produce|edit|assemble|put together|cut|give me)(?: me| us)? (?:a |an |my |the )?(?:new )?(?:music video|music clip|video clip|mv)\b)");
    if (!reading.take(ask)) return std::nullopt;
    std::vector<std::string> songs;
    std::vector<std::string> clips;
    for (const auto& medium : context.media) {
        for (const auto& spelling : spellings(medium.name)) {
            const auto mention = rx(("(^|\\s)" + escaped(spelling) + "(?=\\s|$)").c_str());
            if (reading.take(mention)) {
                (medium.kind == "audio" ? songs : clips).push_back(medium.name);
                break;
            }
        }
    }
    Json arguments = Json::object();
    static const std::regex per_cut = rx(
        R"(\b(?:(\d+) bars? (?:per|a|each|for each|between) cuts?|(?:a )?cuts? (?:every|each) (\d+ )?bars?)\b)");
    if (auto m = reading.take(per_cut)) {
        const auto& count = (*m)[1].matched ? (*m)[1] : (*m)[2];
        arguments["bars_per_cut"] = count.matched ? std::stoi(count.str()) : 1;
    }
    reading.take_all(rx(
        R"(\b(from|with|using|out of|of|over|to|for|and|these|those|all|my|the|clips|videos|footage|song|track|music|audio|soundtrack|on|beat|every)\b)"));
    const auto only = [&](const std::string& kind) -> std::vector<std::string> {
        std::vector<std::string> names;
        for (const auto& medium : context.media) {
            if (medium.kind == kind) names.push_back(medium.name);
        }
        return names;
    };
    if (songs.empty()) songs = only("audio");
    if (clips.empty()) clips = only("video");
    if (songs.size() != 1 || clips.empty()) {
        refusal = Refusal{"needs_media",
                          songs.empty() || clips.empty() ? "no song or clips" : "which song"};
        return std::nullopt;
    }
    if (clips.size() > 50) clips.resize(50);
    arguments["audio"] = songs.front();
    arguments["clips"] = clips;
    return ToolCall{"make_auto_komposition", arguments};
}

// Words a request may hold besides what the rules used: politeness and glue.
const std::set<std::string>& filler_words() {
    static const std::set<std::string> words = {
        "please",  "pls",         "can",        "could",       "would",    "will",    "you",
        "i",       "i'd",         "we",         "me",          "my",       "our",     "the",
        "a",       "an",          "it",         "this",        "that",     "and",     "then",
        "also",    "too",         "to",         "of",          "on",       "in",      "for",
        "with",    "make",        "set",        "change",      "let's",    "lets",    "want",
        "like",    "need",        "just",       "now",         "so",       "video",   "song",
        "music",   "komposition", "be",         "is",          "are",      "should",  "thanks",
        "thank",   "hey",         "hi",         "ok",          "okay",     "kompo",   "switch",
        "turn",    "into",        "output",     "format",      "frame",    "size",    "resolution",
        "tempo",   "bpm",         "segments",   "segment",     "clips",    "clip",    "order",
        "around",  "places",      "them",       "while",       "at",       "as",      "same",
        "time",    "do",          "start",      "beat",        "beats",    "go",      "quick",
        "quickly", "instead",     "by",         "both",        "let",      "get",     "have",
        "there",   "then",        "afterwards", "after",       "first",    "one",     "more",
        "bit",     "little",      "mode",       "orientation", "picture",  "image",   "frames",
        "fill",    "exactly",     "centre",     "center",      "only",     "whole",   "full",
        "rate",    "from",        "up",         "use",         "new",      "keep",    "again",
        "hmm",     "well",        "actually",   "right",       "sure",     "go",      "ahead",
        "do",      "update",      "adjust",     "put",         "what",     "preview", "speed",
        "run",     "render",      "song's",     "track",       "intro",    "offset",  "cut",
        "bump",    "raise",       "lower",      "increase",    "decrease", "slow",    "down",
        "faster",  "slower",      "with",       "going",       "downbeat"};
    return words;
}

const std::set<std::string>& other_requests() {
    static const std::set<std::string> words = {
        "recommend", "suggest",   "tell",      "write", "translate", "explain", "search",   "find",
        "book",      "buy",       "send",      "email", "call",      "open",    "generate", "draw",
        "sing",      "summarise", "summarize", "why",   "who",       "where",   "compose",  "chat",
        "joke",      "poem",      "story",     "code",  "weather",   "news"};
    return words;
}

}  // namespace

std::optional<std::string> match_name(const std::string& phrase,
                                      const std::vector<NamedMedium>& candidates) {
    std::string kind;
    const auto wanted = name_words(phrase, &kind);
    std::optional<std::string> best;
    double best_score = 0;
    const auto whole = squashed_words(phrase);
    for (const auto& candidate : candidates) {
        if (candidate.name == phrase) return candidate.name;
        // Word by word without the generic words, or all of it run together ("clipb").
        double score = std::max(name_score(wanted, name_words(candidate.name)),
                                word_similarity(whole, squashed_words(candidate.name)));
        // A misspelt name still finds the one medium of the kind it names ("bote picture").
        if (!kind.empty() && candidate.kind == kind) score += 0.25;
        if (score > best_score) {
            best_score = score;
            best = candidate.name;
        }
    }
    if (best_score >= 0.75) return best;
    if (wanted.empty() && !kind.empty()) {
        std::optional<std::string> only;
        for (const auto& candidate : candidates) {
            if (candidate.kind != kind) continue;
            if (only) return std::nullopt;  // more than one: ambiguous
            only = candidate.name;
        }
        return only;
    }
    return std::nullopt;
}

Interpretation interpret(const std::string& clean, const InterpreterContext& context) {
    Reading reading(normalize_numbers(clean));
    Interpretation result;
    if (auto question = timing_question(reading, context)) {
        result.calls.push_back(*question);
    } else if (auto asked = tempo_question(reading, context)) {
        result.calls.push_back(*asked);
    } else if (auto video = music_video(reading, context, result.refusal)) {
        result.calls.push_back(*video);
    } else if (result.refusal) {
        return result;
    } else {
        if (auto call = listing(reading)) result.calls.push_back(*call);
        if (auto call = render_control(reading)) result.calls.push_back(*call);
        Edits edits;
        placements(reading, edits, context);
        first_beat(reading, edits);
        swap(reading, edits, context.segment_count);
        size_and_fit(reading, edits);
        frame_rate(reading, edits);
        tempo(reading, edits);
        auto render_call = render(reading, context);
        if (!edits.list.empty())
            result.calls.push_back(
                {"edit_komposition", {{"id", context.komposition_id}, {"edits", edits.list}}});
        if (render_call) result.calls.push_back(*render_call);
    }
    std::size_t strangers = 0;
    for (const auto& word : reading.leftover()) {
        // A verb of another kind of request is never an aside ("recommend a song at 128 BPM").
        if (other_requests().count(word)) strangers += 2;
        if (!filler_words().count(word)) ++strangers;
    }
    // More than one word left over is another request riding along: refused whole.
    if (result.calls.empty() || strangers > 1) {
        const auto detail = strangers > 1 ? std::to_string(strangers) + " unknown words"
                                          : std::string("not understood");
        result.calls.clear();
        result.refusal = Refusal{"off_topic", detail};
        return result;
    }
    for (const auto& call : result.calls) {
        const bool needs_komposition =
            call.arguments.contains("id") && call.arguments["id"].get<std::string>().empty();
        if (needs_komposition) {
            result.calls.clear();
            result.refusal = Refusal{"needs_komposition", call.name};
            return result;
        }
    }
    return result;
}

}  // namespace kompo::assistant
