/** The source and destination of an image transfer, and the copy between them. */
package berth.image.support.transport;
