# modelgate's own module (not Jetty's): see README "Deploying into an existing Jetty base".

[description]
Answers the errors Jetty raises before any webapp sees the request (431 headers too large, 414 URI too long,
400 not valid HTTP) with modelgate's JSON error bodies, in the shape of the protocol the path belongs to.
Needs lib/modelgate-jetty.jar (target/modelgate-jetty.jar of the build) in this base.

[tags]
modelgate

[depend]
server

[lib]
lib/modelgate-jetty.jar

[xml]
etc/modelgate-errors.xml
