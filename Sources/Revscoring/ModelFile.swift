import Foundation

/// Reads revscoring model files (`model.bin`): pickles of revscoring Model objects wrapping a
/// scikit-learn estimator and scaler, turned into native estimators without running Python.
enum ModelFile {
    static func load(bytes: [UInt8]) throws(ModelFileError) -> Model {
        let root: PickleValue
        let arena: [PickleObject]
        do {
            (root, arena) = try PickleReader.read(bytes)
        } catch {
            throw .pickle(error)
        }
        defer { PickleReader.tearDown(arena) }
        return try model(root)
    }

    /// Maps a revscoring model object to a ``Model``.
    static func model(_ root: PickleValue) throws(ModelFileError) -> Model {
        guard let cls = root.reducedCallable, root.attributes != nil else {
            throw .notAModel(describe(root))
        }
        guard cls.module.hasPrefix("revscoring.") else { throw .notAModel("an object of class \(cls)") }
        let owner = cls.name
        guard let estimatorValue = root["estimator"] ?? root["classifier_model"], !estimatorValue.isNone else {
            throw .missingAttribute("estimator", of: owner)
        }
        guard let estimatorClass = estimatorValue.reducedCallable else { throw .missingAttribute("estimator", of: owner) }
        if root["multilabel"]?.bool == true { throw .unsupportedEstimator("multilabel \(owner) models") }

        let featureNames = try self.featureNames(root["features"], owner: owner)
        let estimatorName = estimatorClass.name
        let featureCount = estimatorValue["n_features_in_"]?.int ?? featureNames.count
        guard featureCount == featureNames.count else {
            throw .missingAttribute("features (\(featureNames.count)) to match the estimator's \(featureCount) inputs", of: owner)
        }
        let classes = try labels(estimatorValue["classes_"], owner: estimatorName)

        let estimator: any Classifier
        do {
            switch estimatorName {
            case "GradientBoostingClassifier":
                estimator = try gradientBoosting(estimatorValue, classCount: classes.count, featureCount: featureCount)
            case "RandomForestClassifier":
                estimator = try randomForest(estimatorValue, classCount: classes.count, featureCount: featureCount)
            case "LogisticRegression":
                estimator = try logisticRegression(estimatorValue, classCount: classes.count, featureCount: featureCount)
            case "GaussianNB", "MultinomialNB", "BernoulliNB":
                estimator = try naiveBayes(estimatorValue, name: estimatorName, classCount: classes.count, featureCount: featureCount)
            case "SVC":
                estimator = try supportVectorClassifier(estimatorValue, classCount: classes.count, featureCount: featureCount)
            default:
                throw ModelFileError.unsupportedEstimator("\(estimatorClass) in \(cls)")
            }
        } catch let error as ModelFileError {
            throw error
        } catch let error as EstimatorError {
            throw .invalidEstimator(error)
        } catch {
            throw .unsupportedEstimator(String(describing: error))
        }

        // revscoring 2.x keeps `info` as a ModelInfo whose fields live in its `_data` OrderedDict.
        func info(_ key: String) -> PickleValue? {
            guard let i = root["info"] else { return nil }
            return i["_data"]?[key] ?? i[key]
        }
        let info = ModelInfo(
            type: owner,
            revscoringClass: cls.description,
            version: root["version"]?.string,
            trained: root["trained"]?.double,
            params: root["params"]?.json() ?? .null,
            environment: info("environment")?.json() ?? root["environment"]?.json() ?? .null,
            labels: ((root["labels"]?.sequence) ?? []).compactMap(label),
            statistics: info("statistics")?.json() ?? root["test_stats"]?.json() ?? root["stats"]?.json() ?? .null,
            scoreSchema: info("score_schema")?.json() ?? .null,
            featureNames: featureNames,
            estimatorClass: estimatorClass.description,
            sklearnVersion: estimatorValue["_sklearn_version"]?.string)
        var scaler = try self.scaler(root["scaler"], featureCount: featureCount)
        if scaler == nil { scaler = try featureStatsScaler(root["feature_stats"], featureCount: featureCount) }
        return Model(info: info, labels: classes, scaler: scaler, estimator: estimator)
    }

    // MARK: - Parts

    static func featureNames(_ value: PickleValue?, owner: String) throws(ModelFileError) -> [String] {
        guard let features = value?.sequence else { throw .missingAttribute("features", of: owner) }
        var names: [String] = []
        for f in features {
            guard let name = f["name"]?.string ?? f["_name"]?.string else {
                throw .missingAttribute("features[\(names.count)].name", of: owner)
            }
            names.append(name)
        }
        return names
    }

    static func label(_ v: PickleValue) -> Label? {
        switch v {
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case let .string(s): return .string(s)
        default:
            if let s = try? NumpyScalar(v) {
                if let b = s.boolValue { return .bool(b) }
                if let i = s.intValue { return .int(i) }
            }
            return nil
        }
    }

    /// `classes_`: a bool, int or object (str) array.
    static func labels(_ value: PickleValue?, owner: String) throws(ModelFileError) -> [Label] {
        guard let value else { throw .missingAttribute("classes_", of: owner) }
        let array = try NumpyArray(value)
        let labels: [Label]
        switch array.dtype.kind {
        case .bool: labels = try array.ints().map { .bool($0 != 0) }
        case .signed, .unsigned: labels = try array.ints().map { .int($0) }
        case .object: labels = try array.objectElements().compactMap(label)
        case .unicode, .byteString: labels = try array.strings().map { .string($0) }
        default: throw .unsupportedEstimator("classes_ of dtype \(array.dtype.kind)")
        }
        guard labels.count == array.count, labels.count >= 2 else {
            throw .missingAttribute("classes_ (at least two bool, int or str labels)", of: owner)
        }
        return labels
    }

    static func doubles(_ v: PickleValue?, _ name: String, of owner: String) throws(ModelFileError) -> [Double] {
        guard let v else { throw .missingAttribute(name, of: owner) }
        return try NumpyArray(v).doubles()
    }

    static func scaler(_ value: PickleValue?, featureCount: Int) throws(ModelFileError) -> RobustScaler? {
        guard let value, !value.isNone else { return nil }
        guard let cls = value.reducedCallable else { throw .missingAttribute("scaler", of: "model") }
        guard cls.name == "RobustScaler" else { throw .unsupportedEstimator("scaler \(cls)") }
        let centering = value["with_centering"]?.bool ?? true
        let scaling = value["with_scaling"]?.bool ?? true
        do {
            return try RobustScaler(
                center: centering ? try doubles(value["center_"], "center_", of: cls.name) : nil,
                scale: scaling ? try doubles(value["scale_"], "scale_", of: cls.name) : nil,
                featureCount: featureCount)
        } catch let e as EstimatorError {
            throw .invalidEstimator(e)
        } catch let e as ModelFileError {
            throw e
        } catch {
            throw .malformedArray(String(describing: error))
        }
    }

    /// revscoring 0.x's `feature_stats`: `(mean, sd)` per feature, applied as
    /// `(x − mean) / max(sd, 0.01)` — a RobustScaler with those centres and scales.
    static func featureStatsScaler(_ value: PickleValue?, featureCount: Int) throws(ModelFileError) -> RobustScaler? {
        guard let value, !value.isNone else { return nil }
        guard let pairs = value.sequence, pairs.count == featureCount else {
            throw .missingAttribute("feature_stats (one (mean, sd) pair per feature)", of: "model")
        }
        var means: [Double] = [], scales: [Double] = []
        for pair in pairs {
            guard let p = pair.sequence, p.count == 2, let mean = p[0].double, let sd = p[1].double else {
                throw .missingAttribute("feature_stats (one (mean, sd) pair per feature)", of: "model")
            }
            means.append(mean)
            scales.append(max(sd, 0.01))
        }
        do {
            return try RobustScaler(center: means, scale: scales, featureCount: featureCount)
        } catch {
            throw .invalidEstimator(error)
        }
    }

    /// A fitted tree estimator's `tree_` (`sklearn.tree._tree.Tree`).
    static func decisionTree(_ estimator: PickleValue, featureCount: Int) throws -> DecisionTree {
        guard let tree = estimator["tree_"], case let .reduced(cls, args, _, _, _)? = tree.object?.kind, cls.name == "Tree" else {
            throw ModelFileError.missingAttribute("tree_", of: estimator.reducedCallable?.name ?? "tree")
        }
        if args.count >= 3, let outputs = args[2].int, outputs != 1 {
            throw ModelFileError.unsupportedEstimator("trees with \(outputs) outputs")
        }
        guard let nodesValue = tree["nodes"], let valuesValue = tree["values"] else {
            throw ModelFileError.missingAttribute("nodes/values", of: "Tree")
        }
        let nodes = try NumpyArray(nodesValue)
        let values = try NumpyArray(valuesValue)
        guard nodes.shape.count == 1, values.shape.count == 3, values.shape[0] == nodes.count, values.shape[1] == 1 else {
            throw ModelFileError.malformedArray("tree nodes \(nodes.shape) and values \(values.shape) do not match")
        }
        if let nodeCount = tree["node_count"]?.int, nodeCount != nodes.count {
            throw ModelFileError.malformedArray("tree node_count \(nodeCount) but \(nodes.count) nodes")
        }
        return try DecisionTree(
            leftChild: nodes.fieldInts("left_child"), rightChild: nodes.fieldInts("right_child"),
            feature: nodes.fieldInts("feature"), threshold: nodes.fieldDoubles("threshold"),
            value: values.doubles(), valueWidth: values.shape[2], featureCount: featureCount)
    }

    static func gradientBoosting(_ e: PickleValue, classCount: Int, featureCount: Int) throws -> GradientBoostingClassifier {
        guard let stagesValue = e["estimators_"] else { throw ModelFileError.missingAttribute("estimators_", of: "GradientBoostingClassifier") }
        let stagesArray = try NumpyArray(stagesValue)
        let k = classCount == 2 ? 1 : classCount
        guard stagesArray.shape.count == 2, stagesArray.shape[1] == k else {
            throw ModelFileError.malformedArray("estimators_ has shape \(stagesArray.shape) for \(classCount) classes")
        }
        let trees = try stagesArray.objectElements().map { try decisionTree($0, featureCount: featureCount) }
        let stages = stride(from: 0, to: trees.count, by: k).map { Array(trees[$0..<($0 + k)]) }
        guard let learningRate = e["learning_rate"]?.double else {
            throw ModelFileError.missingAttribute("learning_rate", of: "GradientBoostingClassifier")
        }
        let modern = e["_loss"] != nil
        if let lossName = e["_loss"]?.reducedCallable?.name ?? e["loss_"]?.reducedCallable?.name {
            guard ["HalfBinomialLoss", "HalfMultinomialLoss", "BinomialDeviance", "MultinomialDeviance"].contains(lossName) else {
                throw ModelFileError.unsupportedEstimator("GradientBoostingClassifier with loss \(lossName)")
            }
        }
        return try GradientBoostingClassifier(
            stages: stages, learningRate: learningRate,
            initialRawPrediction: try initialRawPrediction(e["init_"], classCount: classCount, modern: modern),
            classCount: classCount, featureCount: featureCount,
            decisionRule: modern ? .rawScore : .argmaxProbability,
            multiclassLink: modern ? .softmax : .expMinusLogSumExp)
    }

    /// The raw score every stage adds to, from `init_`.
    static func initialRawPrediction(_ initValue: PickleValue?, classCount: Int, modern: Bool) throws -> [Double] {
        let k = classCount == 2 ? 1 : classCount
        guard let initValue, !initValue.isNone else { throw ModelFileError.missingAttribute("init_", of: "GradientBoostingClassifier") }
        if initValue.string == "zero" { return Array(repeating: 0, count: k) }
        guard let cls = initValue.reducedCallable else { throw ModelFileError.missingAttribute("init_", of: "GradientBoostingClassifier") }
        switch cls.name {
        case "DummyClassifier":
            // _init_raw_predictions: clip predict_proba to [eps32, 1 − eps32], then the link.
            guard initValue["strategy"]?.string == "prior" || initValue["_strategy"]?.string == "prior" else {
                throw ModelFileError.unsupportedEstimator("GradientBoostingClassifier init_ DummyClassifier other than strategy='prior'")
            }
            let prior = try doubles(initValue["class_prior_"], "class_prior_", of: "DummyClassifier")
            guard prior.count == classCount else { throw ModelFileError.malformedArray("class_prior_ has \(prior.count) values") }
            let eps = Double(Float.ulpOfOne)
            let clipped = prior.map { min(max($0, eps), 1 - eps) }
            if k == 1 { return [logit(clipped[1])] }
            let logs = clipped.map { log($0) }
            // Before the common loss module (scikit-learn < 1.3) the log priors were not centred.
            if !modern { return logs }
            let mean = logs.reduce(0, +) / Double(logs.count)
            return logs.map { $0 - mean }
        case "LogOddsEstimator", "ScaledLogOddsEstimator":
            guard let prior = initValue["prior"]?.double else { throw ModelFileError.missingAttribute("prior", of: cls.name) }
            let scale = cls.name == "ScaledLogOddsEstimator" ? 0.5 : 1.0
            return [scale * prior]
        case "PriorProbabilityEstimator":
            // scikit-learn ≤ 0.20 started multi-class stages from the class priors themselves.
            let priors = try doubles(initValue["priors"], "priors", of: cls.name)
            guard priors.count == k else { throw ModelFileError.malformedArray("priors has \(priors.count) values") }
            return priors
        default:
            throw ModelFileError.unsupportedEstimator("GradientBoostingClassifier init_ \(cls)")
        }
    }

    /// scipy's `logit`.
    static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    static func randomForest(_ e: PickleValue, classCount: Int, featureCount: Int) throws -> RandomForestClassifier {
        guard let trees = e["estimators_"]?.sequence else {
            throw ModelFileError.missingAttribute("estimators_", of: "RandomForestClassifier")
        }
        if let outputs = e["n_outputs_"]?.int, outputs != 1 {
            throw ModelFileError.unsupportedEstimator("RandomForestClassifier with \(outputs) outputs")
        }
        return try RandomForestClassifier(
            trees: trees.map { try decisionTree($0, featureCount: featureCount) },
            classCount: classCount, featureCount: featureCount)
    }

    static func logisticRegression(_ e: PickleValue, classCount: Int, featureCount: Int) throws -> LogisticRegression {
        let coef = try doubles(e["coef_"], "coef_", of: "LogisticRegression")
        let intercept = try doubles(e["intercept_"], "intercept_", of: "LogisticRegression")
        // predict_proba: one-vs-rest for multi_class "ovr" (the default before 0.22) or liblinear.
        let multiClass = e["multi_class"]?.string ?? "ovr"
        let solver = e["solver"]?.string ?? "liblinear"
        let ovr = multiClass == "ovr" || multiClass == "warn" || (multiClass != "multinomial" && solver == "liblinear")
        return try LogisticRegression(
            coefficients: coef, intercepts: intercept, classCount: classCount, featureCount: featureCount,
            multiclassMode: ovr ? .oneVsRest : .multinomial)
    }

    static func supportVectorClassifier(_ e: PickleValue, classCount: Int, featureCount: Int) throws -> SupportVectorClassifier {
        let owner = "SVC"
        guard e["probability"]?.bool == true else {
            throw ModelFileError.unsupportedEstimator("SVC without probability=True (revscoring needs predict_proba)")
        }
        if let impl = e["_impl"]?.string, impl != "c_svc" {
            throw ModelFileError.unsupportedEstimator("SVC with libsvm type \(impl)")
        }
        let gamma = e["_gamma"]?.double ?? e["gamma"]?.double ?? 0
        let coef0 = e["coef0"]?.double ?? 0
        let kernel: SupportVectorClassifier.Kernel
        switch e["kernel"]?.string ?? "rbf" {
        case "linear": kernel = .linear
        case "rbf": kernel = .rbf(gamma: gamma)
        case "poly": kernel = .polynomial(degree: e["degree"]?.int ?? 3, gamma: gamma, coef0: coef0)
        case "sigmoid": kernel = .sigmoid(gamma: gamma, coef0: coef0)
        case let other: throw ModelFileError.unsupportedEstimator("SVC with kernel \(other)")
        }
        guard let countsValue = e["_n_support"] ?? e["n_support_"] else { throw ModelFileError.missingAttribute("n_support_", of: owner) }
        let counts = try NumpyArray(countsValue).ints()
        guard counts.count == classCount else { throw ModelFileError.malformedArray("n_support_ has \(counts.count) classes, classes_ \(classCount)") }
        // scikit-learn ≥ 0.17 keeps libsvm's own coefficients in `_dual_coef_` (the public
        // `dual_coef_` is sign-flipped for two classes); older pickles only have `dual_coef_`.
        let dual = try doubles(e["_dual_coef_"] ?? e["dual_coef_"], "dual_coef_", of: owner)
        // scikit-learn ≥ 0.23's libsvm computes kernel dot products with BLAS ddot.
        let blas = versionAtLeast(e["_sklearn_version"]?.string, major: 0, minor: 23)
        return try SupportVectorClassifier(
            kernel: kernel,
            supportVectors: try doubles(e["support_vectors_"], "support_vectors_", of: owner),
            supportCounts: counts, dualCoefficients: dual,
            intercepts: try doubles(e["_intercept_"], "_intercept_", of: owner),
            probA: try doubles(e["_probA"] ?? e["probA_"], "probA_", of: owner),
            probB: try doubles(e["_probB"] ?? e["probB_"], "probB_", of: owner),
            featureCount: featureCount, dotProduct: blas ? .blas : .sequential)
    }

    static func naiveBayes(_ e: PickleValue, name: String, classCount: Int, featureCount: Int) throws -> NaiveBayesClassifier {
        let variant: NaiveBayesClassifier.Variant
        switch name {
        case "GaussianNB":
            variant = .gaussian(
                theta: try doubles(e["theta_"], "theta_", of: name),
                variance: try doubles(e["var_"] ?? e["sigma_"], "var_", of: name),
                classPrior: try doubles(e["class_prior_"], "class_prior_", of: name))
        case "MultinomialNB":
            variant = .multinomial(
                featureLogProbability: try doubles(e["feature_log_prob_"], "feature_log_prob_", of: name),
                classLogPrior: try doubles(e["class_log_prior_"], "class_log_prior_", of: name))
        default:
            variant = .bernoulli(
                featureLogProbability: try doubles(e["feature_log_prob_"], "feature_log_prob_", of: name),
                classLogPrior: try doubles(e["class_log_prior_"], "class_log_prior_", of: name),
                binarize: e["binarize"]?.double)
        }
        return try NaiveBayesClassifier(variant: variant, classCount: classCount, featureCount: featureCount)
    }

    /// True when a scikit-learn version string (e.g. `1.7.1`) is at least `major.minor`.
    static func versionAtLeast(_ version: String?, major: Int, minor: Int) -> Bool {
        guard let version else { return false }
        let parts = version.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let (a, b) = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        return a > major || (a == major && b >= minor)
    }

    static func describe(_ v: PickleValue) -> String {
        switch v {
        case .none: return "None"
        case .bool: return "a bool"
        case .int, .bigInt: return "an int"
        case .float: return "a float"
        case .string: return "a str"
        case .bytes: return "bytes"
        case let .object(o):
            switch o.kind {
            case .tuple: return "a tuple"
            case .list: return "a list"
            case .dict: return "a dict"
            case .set: return "a set"
            case let .global(g): return "a reference to \(g)"
            case let .reduced(c, _, _, _, _): return "an object of class \(c)"
            }
        }
    }
}
