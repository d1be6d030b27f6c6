// echo_asio: contender (e) of tools/bench/run. The echo server as the
// boost.asio examples write it: one io_context run by one thread, an
// acceptor, and per connection async_read_some followed by async_write of
// what came in. Debian's boost (header-only asio).
//
// echo_asio --port=P [--cpu=N]   (--port=0: any free port; "port N" is printed)
// Boost 1.74's awaitable.hpp uses std::exchange without <utility> under C++20.
#include <utility>
// clang-format off
#include <boost/asio.hpp>
// clang-format on
#include <memory>

#include "tools/bench/echo_server_util.h"

namespace {

using boost::asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {}
  void Start() { Read(); }

 private:
  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(boost::asio::buffer(buffer_, sizeof(buffer_)),
                            [this, self](boost::system::error_code error, size_t length) {
                              if (!error) Write(length);
                            });
  }
  void Write(size_t length) {
    auto self = shared_from_this();
    boost::asio::async_write(socket_, boost::asio::buffer(buffer_, length),
                             [this, self](boost::system::error_code error, size_t) {
                               if (!error) Read();
                             });
  }

  tcp::socket socket_;
  char buffer_[echo_bench::kBufferBytes];
};

class Server {
 public:
  Server(boost::asio::io_context& context, unsigned short port)
      : acceptor_(context, tcp::endpoint(boost::asio::ip::address_v4::loopback(), port)) {
    echo_bench::AnnouncePort(acceptor_.local_endpoint().port());
    Accept();
  }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
      if (!error) {
        socket.set_option(tcp::no_delay(true));
        std::make_shared<Session>(std::move(socket))->Start();
      }
      Accept();
    });
  }

  tcp::acceptor acceptor_;
};

}  // namespace

int main(int argc, char** argv) {
  const unsigned short port = echo_bench::PortFlagAndPin(argc, argv);
  boost::asio::io_context context(1);
  Server server(context, port);
  context.run();
  return 0;
}
