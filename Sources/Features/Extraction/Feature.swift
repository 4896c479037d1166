/// One revision's datasources, computed at most once each, as revscoring's `solve()` cache
/// does. Not shared between tasks: make one per revision.
public final class RevisionContext {
    /// The root data.
    public let data: RevisionData
    /// Datasources of the revision's text.
    public let revision: TextAnalysis
    /// Datasources of the parent's text (`nil` text for a page creation).
    public let parent: TextAnalysis

    public init(_ data: RevisionData) {
        self.data = data
        let strings = StringTable()
        let lines = LineMatchCache()
        self.revision = TextAnalysis(data.text, strings: strings, lineMatches: lines)
        self.parent = TextAnalysis(data.parentText, strings: strings, lineMatches: lines)
        revision.sibling = parent
        parent.sibling = revision
    }

    private var deltaCache: [String: DeltaSums] = [:]

    /// Delta sums of a frequency table between parent and revision, cached by name.
    func deltaSums(_ name: String, _ table: (TextAnalysis) throws(FeatureError) -> FrequencyTable) throws(FeatureError) -> DeltaSums {
        if let d = deltaCache[name] { return d }
        let d = DeltaSums(parent: try table(parent), revision: try table(revision))
        deltaCache[name] = d
        return d
    }
}

/// A revscoring feature: a name (revscoring's, e.g. `revision.page.is_articleish`) and how to
/// compute its value from a revision's datasources.
public struct Feature: Sendable {
    /// revscoring's name (without the `feature.` prefix `str(feature)` adds).
    public let name: String
    /// For a revscoring `Modifier` (`log`, `div`, `sub`, `max`, …): the names of the features
    /// it is computed from, in its dependency order. Empty for a bare feature. This is what
    /// `revscoring.features.trim` follows.
    public let modifies: [String]
    let compute: @Sendable (RevisionContext) throws(FeatureError) -> FeatureValue

    /// A feature; `modifies` names the features a modifier is made of (empty for a bare one).
    public init(_ name: String, modifies: [String] = [],
                _ compute: @escaping @Sendable (RevisionContext) throws(FeatureError) -> FeatureValue) {
        self.name = name
        self.modifies = modifies
        self.compute = compute
    }

    /// The feature's value for one revision.
    public func value(in context: RevisionContext) throws(FeatureError) -> FeatureValue { try compute(context) }
}

/// Why a feature could not be computed for a revision.
public enum FeatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A word-list or comment regex could not finish on this text.
    case regex(RegexMatchError)
    /// The wikitext parser gave up (mwparserfromhell raises ParserError).
    case wikitextParse
    /// The wikitext needs more parsing than extraction allows: markup left open so many times
    /// that mwparserfromhell's rescans would take minutes (see `MWTokenizer.workLimit`).
    case wikitextTooComplex

    public var description: String {
        switch self {
        case let .regex(e): return e.description
        case .wikitextParse: return "the wikitext could not be parsed"
        case .wikitextTooComplex:
            return "the wikitext needs more parsing than allowed (over \(MWTokenizer.readsPerPiece) reads per piece: "
                + "markup left open so many times that parsing it would take minutes)"
        }
    }
}

/// Why a feature list cannot be built.
public enum FeatureListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name the registry does not know.
    case unknownFeature(String)
    /// A dictionary feature while the Hunspell dictionaries are not installed.
    case dictionaryUnavailable(String)

    public var description: String {
        switch self {
        case let .unknownFeature(name): return "no implementation of revscoring feature \(name)"
        case let .dictionaryUnavailable(name):
            return "\(name) needs the Hunspell dictionaries en_US, en_GB and en_AU in /usr/share/hunspell "
                + "(Debian: apt-get install hunspell-en-us hunspell-en-gb hunspell-en-au)"
        }
    }
}

/// An ordered list of features: what a model takes, in its order.
public struct FeatureList: Sendable {
    /// The list's name (e.g. `editquality.feature_lists.enwiki.goodfaith`).
    public let name: String
    /// The features, in order.
    public let features: [Feature]

    /// Builds a list from revscoring feature names (with or without the `feature.` prefix),
    /// looked up in `registry`.
    public init(name: String, featureNames: [String], registry: FeatureRegistry = .standard) throws(FeatureListError) {
        var features: [Feature] = []
        for n in featureNames {
            guard let f = registry.feature(named: n) else {
                if n.contains("english.dictionary."), English.dictionary == nil { throw .dictionaryUnavailable(n) }
                throw .unknownFeature(n)
            }
            features.append(f)
        }
        self.name = name
        self.features = features
    }

    /// The list trimmed of modifiers, as `revscoring.features.trim` does it: each modifier is
    /// replaced by the bare features it is made of, depth first, each bare feature once. This
    /// is what Lift Wing shows with `extended_output` (raw counts instead of their logs and
    /// ratios).
    public func trimmed(registry: FeatureRegistry = .standard) throws(FeatureListError) -> FeatureList {
        var seen: Set<String> = []
        var bare: [Feature] = []
        func visit(_ feature: Feature, depth: Int) throws(FeatureListError) {
            guard !feature.modifies.isEmpty else {
                if seen.insert(feature.name).inserted { bare.append(feature) }
                return
            }
            // Registry data, not input: a cycle would be a bug in a registration.
            precondition(depth < 64, "modifier cycle at \(feature.name)")
            for name in feature.modifies {
                guard let part = registry.feature(named: name) else { throw .unknownFeature(name) }
                try visit(part, depth: depth + 1)
            }
        }
        for f in features { try visit(f, depth: 0) }
        return FeatureList(name: name, resolved: bare)
    }

    private init(name: String, resolved: [Feature]) {
        self.name = name
        self.features = resolved
    }

    /// The values of all features for one revision, in order.
    public func values(for data: RevisionData) throws(FeatureError) -> [FeatureValue] {
        try values(in: RevisionContext(data))
    }

    /// The values of all features in a revision's context, in order: lists that share a
    /// context (a model's list and its trimmed list) compute each datasource once.
    public func values(in context: RevisionContext) throws(FeatureError) -> [FeatureValue] {
        var values: [FeatureValue] = []
        values.reserveCapacity(features.count)
        for f in features { values.append(try f.value(in: context)) }
        return values
    }
}

/// Feature implementations by revscoring name.
public struct FeatureRegistry: Sendable {
    private var byName: [String: Feature]

    /// A registry of `features`.
    public init(_ features: [Feature]) {
        byName = Dictionary(features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The feature named `name` (a leading `feature.` is ignored).
    public func feature(named name: String) -> Feature? {
        byName[name.hasPrefix("feature.") ? String(name.dropFirst("feature.".count)) : name]
    }

    /// Every name the registry knows.
    public var names: [String] { byName.keys.sorted() }

    /// Adds or replaces features.
    public mutating func register(_ features: [Feature]) {
        for f in features { byName[f.name] = f }
    }
}
