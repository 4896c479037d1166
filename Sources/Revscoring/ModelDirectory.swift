import Foundation

/// Finds model files for `(wiki, model)` pairs in a directory, in the layouts revscoring
/// models are shipped in:
///
/// - `DIR/{wiki}-{model}/model.bin` — Lift Wing's (one directory per inference service,
///   named as the service: `enwiki-goodfaith`);
/// - `DIR/{wiki}.{model}.{estimator}.model` — editquality's `models/` directory
///   (`enwiki.goodfaith.gradient_boosting.model`); exactly one such file must match.
public struct ModelDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// A directory of models.
    public init(_ url: URL) {
        self.url = url
    }

    /// The model file for `model` of `wiki`.
    ///
    /// - Throws: ``ModelDirectoryError`` when there is none, or more than one candidate.
    public func locate(wiki: String, model: String) throws(ModelDirectoryError) -> URL {
        let fm = FileManager.default
        let liftWing = url.appendingPathComponent("\(wiki)-\(model)").appendingPathComponent("model.bin")
        if fm.fileExists(atPath: liftWing.path) { return liftWing }
        guard let names = try? fm.contentsOfDirectory(atPath: url.path) else {
            throw .unreadableDirectory(path: url.path)
        }
        let prefix = "\(wiki).\(model)."
        let matches = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".model") }.sorted()
        switch matches.count {
        case 1: return url.appendingPathComponent(matches[0])
        case 0: throw .notFound(directory: url.path, wiki: wiki, model: model)
        default: throw .ambiguous(directory: url.path, candidates: matches)
        }
    }
}

extension ModelDirectory {
    /// A model file found in the directory.
    public struct Entry: Sendable, Equatable {
        public var wiki: String
        public var model: String
        public var url: URL

        /// An entry: `model` of `wiki` in the file at `url`.
        public init(wiki: String, model: String, url: URL) {
            self.wiki = wiki
            self.model = model
            self.url = url
        }
    }

    /// Every model in the directory, in either layout, sorted by `{wiki}-{model}`; a name
    /// found in both layouts is taken from Lift Wing's.
    public func discover() throws(ModelDirectoryError) -> [Entry] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: url.path) else { throw .unreadableDirectory(path: url.path) }
        var found: [String: Entry] = [:]
        for name in names.sorted() {
            let parts = name.split(separator: ".")
            if parts.count >= 4, parts.last == "model" {
                let entry = Entry(wiki: String(parts[0]), model: String(parts[1]), url: url.appendingPathComponent(name))
                let key = "\(entry.wiki)-\(entry.model)"
                if let other = found[key] { throw .ambiguous(directory: url.path, candidates: [other.url.lastPathComponent, name]) }
                found[key] = entry
            }
        }
        for name in names.sorted() {
            let file = url.appendingPathComponent(name).appendingPathComponent("model.bin")
            guard fm.fileExists(atPath: file.path), let dash = name.firstIndex(of: "-") else { continue }
            found[name] = Entry(wiki: String(name[..<dash]), model: String(name[name.index(after: dash)...]), url: file)
        }
        return found.keys.sorted().compactMap { found[$0] }
    }
}

/// Why a model file could not be located.
public enum ModelDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableDirectory(path: String)
    case notFound(directory: String, wiki: String, model: String)
    case ambiguous(directory: String, candidates: [String])

    public var description: String {
        switch self {
        case let .unreadableDirectory(path): return "cannot read the model directory \(path)"
        case let .notFound(dir, wiki, model):
            return "no \(wiki) \(model) model in \(dir) (looked for \(wiki)-\(model)/model.bin and \(wiki).\(model).*.model)"
        case let .ambiguous(dir, candidates):
            return "several model files match in \(dir): \(candidates.joined(separator: ", ")); use --model-file"
        }
    }
}

/// Wikimedia wiki database names and their hosts.
public enum WikiHost {
    /// The public host of a wiki database name: `enwiki` → `en.wikipedia.org`,
    /// `zh_min_nanwiki` → `zh-min-nan.wikipedia.org`, `wikidatawiki` → `www.wikidata.org`,
    /// `frwiktionary` → `fr.wiktionary.org`; `nil` when the name is not one of these forms.
    public static func host(for wiki: String) -> String? {
        let special = [
            "wikidatawiki": "www.wikidata.org", "commonswiki": "commons.wikimedia.org",
            "metawiki": "meta.wikimedia.org", "mediawikiwiki": "www.mediawiki.org",
            "specieswiki": "species.wikimedia.org", "testwiki": "test.wikipedia.org",
            "testwikidatawiki": "test.wikidata.org",
        ]
        if let host = special[wiki] { return host }
        let families = ["wiktionary", "wikibooks", "wikinews", "wikiquote", "wikisource", "wikiversity", "wikivoyage", "wiki"]
        for family in families where wiki.hasSuffix(family) {
            let language = wiki.dropLast(family.count).replacingOccurrences(of: "_", with: "-")
            guard !language.isEmpty, language.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                return nil
            }
            return "\(language).\(family == "wiki" ? "wikipedia" : family).org"
        }
        return nil
    }
}
