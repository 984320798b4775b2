import Catering
import Foundation
import Gifts
import Lodging
import GLPKOptimizer
import GreedyOptimizer
import SchedulingCore
import Staff
import Transport
import Venues

/// What the trust suites share: the built-in registry, as the CLI builds it.
enum TrustSupport {
    static func registry() -> PluginRegistry {
        // The same kinds and optimizers as `builtinRegistry()` in Sources/schedule/Support.swift.
        try! PluginRegistry(resourceKinds: [VenuesPlugin(), TransportPlugin(), CateringPlugin(), StaffPlugin(), GiftsPlugin(), LodgingPlugin()],
                            optimizers: [GLPKOptimizer(), GreedyOptimizer()])
    }
}
