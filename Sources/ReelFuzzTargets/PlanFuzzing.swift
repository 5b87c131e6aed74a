import Foundation
import ReelKit

/// Plan bytes through the YAML and the JSON decoder, then onto render options (which parses
/// every string field: crop, trim, sizes, colours, sticker specs, edit ranges).
enum PlanFuzzing {
    static func run(_ data: Data) {
        for path in ["/fuzz/plan.yaml", "/fuzz/plan.json"] {
            guard let plan = try? Plan.decode(data, path: path) else { continue }
            var options = RenderOptions(input: "/fuzz/in.mp4", output: "/fuzz/out.mp4")
            _ = try? plan.apply(to: &options, directory: "/fuzz")
        }
    }
}
