import Foundation
import HTTPTypes
import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Signed webhooks: `POST /webhooks/email` takes one inbound message from a relay. It is an open route
    /// (no API key): the `X-KAM-Signature` header, an HMAC-SHA256 under the source's secret over
    /// `"<t>.<raw body>"`, authenticates it instead.
    func addWebhookRoutes(_ routes: RouteTable) {
        routes.post("/webhooks/email", open: true) { request, context in
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            let delivery = InboundEmailDelivery(
                source: request.headers[Self.sourceHeader], signature: request.headers[Self.signatureHeader],
                contentType: request.headers[.contentType], body: Array(buffer: buffer))
            let receipt: WebhookService.EmailReceipt
            do {
                receipt = try await runtime.webhooks.receiveEmail(delivery)
            } catch let error as WebhookSignatureError {
                throw APIError(.unauthorized, code: error.code, message: error.message, underlying: error)
            }
            var response = try JSONResponse.make(receipt)
            response.headers[Self.replayedHeader] = receipt.replayed ? "true" : "false"
            return response
        }
    }

    static let sourceHeader = HTTPField.Name("X-KAM-Source")!
    static let signatureHeader = HTTPField.Name(WebhookSignature.headerName)!
    static let replayedHeader = HTTPField.Name("X-KAM-Replayed")!
}
