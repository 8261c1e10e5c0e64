import Hummingbird
import KAMCore

extension KAMAPI {
    /// `/health`: open, for load balancers and `kam demo`'s check.
    func addSystemRoutes(_ routes: RouteTable) {
        routes.get("/health", open: true) { _, _ in
            try JSONResponse.make(["status": "ok", "version": KAMVersion.string])
        }
    }
}
