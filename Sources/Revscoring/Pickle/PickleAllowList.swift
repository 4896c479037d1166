/// Which globals a pickle may name.
///
/// Nothing is ever called, so the list is about refusing files that are clearly not revscoring
/// models (a pickle naming `os.system` or `subprocess.Popen` is an attack, not a model). It
/// holds the numpy, scikit-learn and builtins names that revscoring models contain, and whole
/// module trees whose objects models only carry along as inert records (revscoring's and
/// editquality's feature graphs, mwparserfromhell node classes, spell-checker handles).
struct PickleAllowList: Sendable {
    var names: Set<String>
    var modulePrefixes: [String]

    func allows(_ g: PickleGlobal) -> Bool {
        if names.contains(g.description) { return true }
        return modulePrefixes.contains { g.module == $0 || g.module.hasPrefix($0 + ".") }
    }

    /// Everything current and legacy (2015–2018) revscoring model files reference.
    static let revscoringModels = PickleAllowList(
        names: Set([
            // builtins: types as Feature `returns`, bound-method pickling, data constructors
            "bool", "int", "float", "str", "bytes", "len", "max", "min", "sum", "abs", "getattr",
            "set", "frozenset", "dict", "list", "tuple", "object", "complex", "slice", "range",
        ].flatMap { ["builtins.\($0)", "__builtin__.\($0)"] } + [
            "collections.OrderedDict", "collections.defaultdict", "collections.deque",
            "copyreg._reconstructor", "copy_reg._reconstructor",
            "re._compile", "_codecs.encode", "datetime.datetime", "datetime.date", "datetime.timedelta",
            "functools.partial", "operator.itemgetter", "operator.attrgetter",
            // numpy data
            "numpy.ndarray", "numpy.dtype",
            "numpy.core.multiarray._reconstruct", "numpy.core.multiarray.scalar",
            "numpy._core.multiarray._reconstruct", "numpy._core.multiarray.scalar",
            "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
        ]),
        modulePrefixes: [
            // estimators, scalers, trees, losses and their helpers
            "sklearn.ensemble", "sklearn.tree", "sklearn.linear_model", "sklearn.svm",
            "sklearn.naive_bayes", "sklearn.preprocessing", "sklearn.dummy", "sklearn._loss",
            "sklearn.utils._bunch",
            "_loss",  // scikit-learn's Cython loss classes pickle under their bare module name "sklearn.calibration", "sklearn.multiclass",
            "numpy.random", "numpy.dtypes",
            // inert records of the feature graph and its resources
            "revscoring", "editquality", "mwparserfromhell.nodes", "mwtypes", "enchant", "nltk.stem",
            "nltk.corpus", "deltas", "wikitext_split",
        ])
}
